/**
 * GitLab's reading of a dotenv report (Ci::ParseDotenvArtifactService): each line is scanned with
 * /^(.*?)=(.*)$/ and both sides are stripped as Ruby's String#strip does (NUL and ASCII white space); a line
 * without `=` fails the whole report, and the key must match /\A[a-zA-Z0-9_]+\z/. Lines are split after each LF.
 */
export function readGitlabDotenv(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  for (const line of lines) {
    const match = /^([^\n]*?)=([^\n]*)$/m.exec(line);
    if (!match) throw new Error('Invalid Format');
    const key = rubyStrip(match[1]!);
    const value = rubyStrip(match[2]!);
    if (!/^[a-zA-Z0-9_]+$/.test(key)) throw new Error('Invalid key format');
    out.set(key, value);
  }
  return out;
}

function rubyStrip(text: string): string {
  return text.replace(/^[\0\t\n\v\f\r ]+/, '').replace(/[\0\t\n\v\f\r ]+$/, '');
}

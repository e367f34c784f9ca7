import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatExport, type ExportFormat } from '../../../../main/core/export';
import { escapeCommandData, githubEnvEntries, githubMasks, GITHUB_REFUSAL } from '../../../../main/core/export/github';
import { GITLAB_REFUSAL, gitlabDotenv } from '../../../../main/core/export/gitlab';
import { hclQuoted, TFVARS_REFUSAL } from '../../../../main/core/export/hcl';
import { defaultSecretName, k8sSecret } from '../../../../main/core/export/k8s';
import { transformNames } from '../../../../main/core/name-transform';
import { hasLoneSurrogate, TRICKY_VALUES } from '../../../support/export-values';
import { readGitlabDotenv } from '../../../support/gitlab-dotenv';
import { parseHclString, parseTfvars } from '../../../support/hcl-string';

const tricky = new Map(Object.entries(TRICKY_VALUES));
const render = (format: ExportFormat, values: Map<string, string>) =>
  formatExport({ values, profile: 'dev', format }).text;

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
}

/** Any Unicode text, with the characters that break formats drawn often. */
const anyText = fc.string({
  unit: fc.oneof(
    fc.constantFrom('$', '{', '%', '}', '\\', '"', "'", '\n', '\r', '\t', ' ', '#', ':', '\u2028', '\u0085', '\ufeff'),
    fc.string({ unit: 'grapheme', maxLength: 1 }),
    fc.string({ unit: 'binary', maxLength: 1 }),
  ),
  maxLength: 40,
});
const wellFormed = anyText.filter((s) => !hasLoneSurrogate(s));

describe('tfvars', () => {
  it('doubles ${ and %{ exactly, and keeps an existing $${ and %%{ as written', () => {
    expect(hclQuoted('${x}')).toBe('"$${x}"');
    expect(hclQuoted('%{ if }')).toBe('"%%{ if }"');
    expect(hclQuoted('$${x}')).toBe('"$$${x}"');
    expect(hclQuoted('%%{x}')).toBe('"%%%{x}"');
    expect(hclQuoted('$ {x} % {y} $')).toBe('"$ {x} % {y} $"');
    expect(hclQuoted('a"b\\c\nd\re\tf\u0000\u001b\u007f')).toBe('"a\\"b\\\\c\\nd\\re\\tf\\u0000\\u001b\\u007f"');
  });

  it('round-trips every NFC value through a strict HCL string reader', () => {
    fc.assert(
      fc.property(wellFormed, (value) => {
        fc.pre(value.normalize('NFC') === value);
        expect(parseHclString(hclQuoted(value))).toBe(value);
      }),
      { numRuns: 3000 },
    );
    const nfc = new Map([...tricky].filter(([, v]) => v.normalize('NFC') === v));
    expect(parseTfvars(render('tfvars', nfc))).toEqual(nfc);
  });

  it('refuses a value that Terraform would normalise, by key', () => {
    const message = refusal(() => render('tfvars', new Map([['NAME', 'e\u0301']])));
    expect(message).toContain(`NAME: ${TFVARS_REFUSAL.notNfc}`);
  });
});

describe('yaml', () => {
  it('quotes every key and value', () => {
    expect(
      render(
        'yaml',
        new Map([
          ['ON', 'on'],
          ['N', '0123'],
        ]),
      ),
    ).toBe('"ON": "on"\n"N": "0123"\n');
    expect(render('yaml', new Map())).toBe('{}\n');
  });
});

describe('github', () => {
  it('prints one mask per distinct non-blank line of every value, escaped as the runner unescapes', () => {
    expect(githubMasks(['a\nb\n\n  \na', 'x%0Ay\r%', 'b'])).toBe(
      '::add-mask::a\n::add-mask::b\n::add-mask::x%250Ay\n::add-mask::%25\n',
    );
    expect(escapeCommandData('%\r\n')).toBe('%25%0D%0A');
  });

  it('puts the masks before the first line that holds a value', () => {
    const text = render(
      'github',
      new Map([
        ['A', 'one'],
        ['B', 'two\nthree'],
      ]),
    );
    const lines = text.split('\n');
    const firstValue = lines.findIndex((l) => l === 'one' || l === 'two');
    const lastMask = lines.map((l) => l.startsWith('::add-mask::')).lastIndexOf(true);
    expect(lastMask).toBeLessThan(firstValue);
  });

  it('draws the delimiter again when the value holds it', () => {
    const draws = [Buffer.alloc(18, 1), Buffer.alloc(18, 2)];
    const first = `ghadelimiter_${'01'.repeat(18)}`;
    const second = `ghadelimiter_${'02'.repeat(18)}`;
    const text = githubEnvEntries(new Map([['K', `x\n${first}\ny`]]), () => draws.shift()!);
    expect(text).toBe(`K<<${second}\nx\n${first}\ny\n${second}\n`);
  });

  it('refuses what a runner would not read back, by key', () => {
    const message = refusal(() =>
      githubEnvEntries(
        new Map([
          ['A', 'x\r\ny'],
          ['B', 'x\r'],
          ['C', 'ok\rok'],
        ]),
      ),
    );
    expect(message).toContain(`A: ${GITHUB_REFUSAL.crlf}`);
    expect(message).toContain(`B: ${GITHUB_REFUSAL.crlf}`);
    expect(message).not.toContain('C:');
  });
});

describe('gitlab', () => {
  it("writes what GitLab's parser reads back exactly", () => {
    fc.assert(
      fc.property(fc.array(wellFormed, { maxLength: 8 }), (values) => {
        const map = new Map(values.map((v, i) => [`K_${i}`, v]));
        let text: string;
        try {
          text = gitlabDotenv(map).text;
        } catch {
          return; // refused: the refusal rules are checked below
        }
        expect(readGitlabDotenv(text)).toEqual(map);
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses multi-line values naming the key, and what GitLab would strip or expand', () => {
    const message = refusal(() =>
      gitlabDotenv(
        new Map([
          ['PEM', TRICKY_VALUES.PEM!],
          ['PAD', ' x'],
          ['COST', 'a$b'],
          ['OK', 'fine'],
        ]),
      ),
    );
    expect(message).toContain(`PEM: ${GITLAB_REFUSAL.multiLine}`);
    expect(message).toContain(`PAD: ${GITLAB_REFUSAL.edgeWhiteSpace}`);
    expect(message).toContain(`COST: ${GITLAB_REFUSAL.dollar}`);
    expect(message).not.toContain('OK:');
    expect(message).not.toContain('BEGIN');
  });

  it('warns past GitLab.com limits', () => {
    const many = new Map(Array.from({ length: 21 }, (_, i) => [`K${i}`, 'v']));
    expect(gitlabDotenv(many).warnings.join()).toMatch(/21 variables/);
  });
});

describe('k8s', () => {
  it('names the Secret from the profile, or --name, and checks every name the API server checks', () => {
    expect(defaultSecretName('Dev_EU')).toBe('latchkey-dev-eu');
    const ok = k8sSecret(new Map([['A', 'on']]), [], 'dev', {
      name: 'web.secrets',
      namespace: 'web',
      labels: [['app.kubernetes.io/name', 'web']],
      annotations: [['example.com/owner', 'team: a, "b"']],
      type: 'kubernetes.io/basic-auth',
    });
    expect(ok).toContain('name: "web.secrets"');
    expect(ok).toContain('"example.com/owner": "team: a, \\"b\\""');
    expect(refusal(() => k8sSecret(new Map(), [], 'dev', { name: 'Web' }))).toMatch(/--name "Web" must be lower-case/);
    expect(refusal(() => k8sSecret(new Map(), [], 'dev', { namespace: 'a.b' }))).toMatch(/--namespace/);
    expect(refusal(() => k8sSecret(new Map(), [], 'dev', { labels: [['a', 'x y']] }))).toMatch(/--label a value/);
    expect(refusal(() => k8sSecret(new Map(), [], 'dev', { labels: [['-a', 'x']] }))).toMatch(/--label key/);
    expect(refusal(() => k8sSecret(new Map(), [], 'dev', { type: 'a b' }))).toMatch(/--type/);
  });

  it('keys file secrets by file name, in data, and refuses a file name that collides or is not a key', () => {
    const files = [{ path: 'certs/tls.key', bytes: new Uint8Array([0, 255, 10]) }];
    const text = k8sSecret(new Map([['A', 'x']]), files, 'dev', { stringData: true });
    expect(text).toContain('data:\n  "tls.key": "AP8K"\n');
    expect(text).toContain('stringData:\n  "A": "x"\n');
    expect(
      refusal(() => k8sSecret(new Map([['tls_key', 'x']]), [{ path: 'a/tls key', bytes: new Uint8Array() }], 'dev')),
    ).toMatch(/tls key: a Secret key is/);
    expect(
      refusal(() => k8sSecret(new Map(), [...files, { path: 'other/tls.key', bytes: new Uint8Array() }], 'dev')),
    ).toMatch(/both file certs\/tls.key and file other\/tls.key/);
  });
});

describe('csv, tsv and java-properties', () => {
  it('quote as Go encoding/csv does', () => {
    expect(
      render(
        'csv',
        new Map([
          ['A', 'x,y'],
          ['B', ' lead'],
          ['C', 'say "hi"'],
          ['D', 'plain'],
        ]),
      ),
    ).toBe('A,"x,y"\nB," lead"\nC,"say ""hi"""\nD,plain\n');
    expect(
      render(
        'tsv',
        new Map([
          ['A', 'x\ty'],
          ['B', 'x,y'],
        ]),
      ),
    ).toBe('A\t"x\ty"\nB\tx,y\n');
  });

  it('escapes properties as Properties#store does', () => {
    expect(render('java-properties', new Map([['A', ' a=b:c#!\\ é\n']]))).toBe('A=\\ a\\=b\\:c\\#\\!\\\\ \\u00E9\\n\n');
  });
});

describe('--prefix and --case', () => {
  it('apply the case to the name and put the prefix in front', () => {
    const out = transformNames(new Map([['DB_PASSWORD', 'x']]), { prefix: 'TF_VAR_', case: 'lower' });
    expect([...out.keys()]).toEqual(['TF_VAR_db_password']);
    expect(() => transformNames(new Map([['A', 'x']]), { prefix: '1X' })).toThrow(/--prefix "1X"/);
  });
});

describe('every format refuses invalid Unicode by key, never printing the value', () => {
  it.each(['yaml', 'tfvars', 'github', 'gitlab', 'csv', 'tsv', 'java-properties', 'k8s'] as const)('%s', (format) => {
    const message = refusal(() => render(format, new Map([['BROKEN', 'canary\ud800x']])));
    expect(message).toMatch(/BROKEN: the value is not valid Unicode/);
    expect(message).not.toContain('canary');
  });
});

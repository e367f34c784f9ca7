import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { credentialProcessCommand, quoteProcessArg, setProfileMode } from '../../../main/aws/mode';
import { writeSessionSection } from '../../../main/aws/sessions';
import { rejection, useTempDir } from '../../support/temp';

const CONFIG = `# keep me
[profile dev]
region = us-east-1   ; trailing

[profile role]
role_arn = arn:aws:iam::123456789012:role/admin
source_profile = dev

[profile foreign]
credential_process = /usr/bin/other-tool
`;
const SESSION = {
  accessKeyId: 'ASIADEV',
  secretAccessKey: 's',
  sessionToken: 't',
  expiration: '2099-01-01T00:00:00.000Z',
};

const tmp = useTempDir('latchkey-mode-');
function seed() {
  const env = {
    HOME: tmp.path,
    AWS_CONFIG_FILE: path.join(tmp.path, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(tmp.path, 'credentials'),
  };
  writeFileSync(env.AWS_CONFIG_FILE, CONFIG);
  writeFileSync(env.AWS_SHARED_CREDENTIALS_FILE, '[other]\nregion = x\n', { mode: 0o600 });
  return env;
}
const OPTS = { nodePath: '/opt/my node/bin/node', binPath: '/home/me/Latchkey App/bin/latchkey.js' };

describe('credential_process mode', () => {
  it('quotes paths so that both shlex (botocore) and /bin/sh (the JS SDK) split them back exactly', () => {
    const command = credentialProcessCommand('dev', { ...OPTS, platform: 'linux' });
    expect(command).toBe('"/opt/my node/bin/node" "/home/me/Latchkey App/bin/latchkey.js" aws credential-process dev');
    const odd = credentialProcessCommand('dev', {
      nodePath: '/a "quoted" \\ dir/node',
      binPath: '/b/latchkey.js',
      platform: 'linux',
    });
    const viaShlex = execFileSync(
      'python3',
      ['-c', 'import shlex,sys,json; print(json.dumps(shlex.split(sys.argv[1])))', odd],
      { encoding: 'utf8' },
    );
    const viaSh = execFileSync('sh', ['-c', `for a in ${odd}; do printf '%s\\n' "$a"; done`], { encoding: 'utf8' });
    const want = ['/a "quoted" \\ dir/node', '/b/latchkey.js', 'aws', 'credential-process', 'dev'];
    expect(JSON.parse(viaShlex)).toEqual(want);
    expect(viaSh.split('\n').slice(0, -1)).toEqual(want);
    expect(() => quoteProcessArg('/x/$HOME/node', 'linux')).toThrow(/cannot quote/);
    expect(quoteProcessArg('C:\\Program Files\\node.exe', 'win32')).toBe('"C:\\Program Files\\node.exe"');
  });

  it('writes credential_process into the config section only, removes the managed session, and session mode reverts byte for byte', async () => {
    const env = seed();
    await writeSessionSection('dev', SESSION, env);
    const result = await setProfileMode('dev', 'credential-process', { ...OPTS, env });
    expect(result.useProfile).toBe('dev');
    const config = readFileSync(env.AWS_CONFIG_FILE, 'utf8');
    expect(config).toBe(
      CONFIG.replace(
        'region = us-east-1   ; trailing\n',
        `region = us-east-1   ; trailing\ncredential_process = ${credentialProcessCommand('dev', OPTS)}\n`,
      ),
    );
    // The blank line before [dev] was added by the session write, and stays.
    expect(readFileSync(env.AWS_SHARED_CREDENTIALS_FILE, 'utf8')).toBe('[other]\nregion = x\n\n');
    await setProfileMode('dev', 'session', { env });
    expect(readFileSync(env.AWS_CONFIG_FILE, 'utf8')).toBe(CONFIG);
  });

  it('gives a role profile a companion profile (tools assume role_arn themselves), and refuses a foreign credential_process', async () => {
    const env = seed();
    const result = await setProfileMode('role', 'credential-process', { ...OPTS, env });
    expect(result.useProfile).toBe('role-latchkey');
    expect(readFileSync(env.AWS_CONFIG_FILE, 'utf8')).toBe(
      `${CONFIG}\n[profile role-latchkey]\ncredential_process = ${credentialProcessCommand('role', OPTS)}\n`,
    );
    await setProfileMode('role', 'session', { env });
    expect(readFileSync(env.AWS_CONFIG_FILE, 'utf8')).toBe(`${CONFIG}\n`);
    expect((await rejection(setProfileMode('foreign', 'credential-process', { ...OPTS, env }))).code).toBe(
      'TARGET_UNSAFE',
    );
    expect((await rejection(setProfileMode('nope', 'credential-process', { ...OPTS, env }))).code).toBe(
      'PROFILE_NOT_FOUND',
    );
  });
});

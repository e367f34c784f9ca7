import { describe, expect, it } from 'vitest';
import { parseManifest } from '../../../main/core/manifest';
import { profileNarrowedTo } from '../../../main/core/reveal-scope';

// Which sources a reveal of one variable reads, narrowed to it (issue 14, item 8). The survivors keep their
// indexes, so the sync's override order decides between them.

const ITEM_ID = 'a'.repeat(26);
const profile = parseManifest(
  `version: 1
profiles:
  dev:
    target: .env
    sources:
      - chamber: big/dev
      - ssm: /legacy/stripe_key
      - ssm: /legacy/jwt
        as: JWT_SECRET
      - chamber: api/dev
        only: [jwt-secret, db_host]
      - op: "op://Shared/Stripe/secret key"
        as: STRIPE
      - op: "op://Shared/${ITEM_ID}/${ITEM_ID}"
      - op: "op://Shared/Backend DB"
        fields: all
      - s3: s3://acme/tls.pem
        as: TLS
      - s3: s3://acme/key.pem
        file: certs/key.pem
      - keychain: GITHUB_TOKEN
      - set: { LOG_LEVEL: debug, OTHER: x }
`,
  '/p/latchkey.yml',
).profiles.get('dev')!;

const kept = (name: string) =>
  profileNarrowedTo(profile, name).profile.sources.map((s) => {
    if (s.kind === 'chamber') return `chamber ${s.service} only=${s.only!.join(',')}${s.optional ? ' optional' : ''}`;
    if (s.kind === 'set') return `set ${Object.keys(s.values).join(',')}`;
    if (s.kind === 'ssm') return `ssm ${s.name}`;
    if (s.kind === 'op') return `op ${s.ref}`;
    if (s.kind === 's3') return `s3 ${s.url}`;
    return `keychain ${s.name}`;
  });

describe('profileNarrowedTo', () => {
  it('reads a chamber key by the names chamber spells it, from every service that may hold it', () => {
    expect(kept('DB_HOST')).toEqual([
      'chamber big/dev only=db_host,db-host,db.host,DB_HOST optional',
      'chamber api/dev only=db_host optional',
      // A field reached by id may carry any label; a whole item any field: both stay, one item each.
      `op op://Shared/${ITEM_ID}/${ITEM_ID}`,
      'op op://Shared/Backend DB',
    ]);
  });

  it('drops every source before one that surely gives the name: a later source wins', () => {
    // ssm as: JWT_SECRET is certain; the chamber service after it may override it, so it stays too.
    expect(kept('JWT_SECRET')).toEqual([
      'ssm /legacy/jwt',
      'chamber api/dev only=jwt-secret optional',
      `op op://Shared/${ITEM_ID}/${ITEM_ID}`,
      'op op://Shared/Backend DB',
    ]);
    expect(kept('LOG_LEVEL')).toEqual(['set LOG_LEVEL']);
    expect(profileNarrowedTo(profile, 'LOG_LEVEL').exact).toBe(true);
    // big/dev lists no only: its spellings are guessed, so a miss reads the whole profile.
    expect(profileNarrowedTo(profile, 'DB_HOST').exact).toBe(false);
    expect(kept('GITHUB_TOKEN')).toEqual(['keychain GITHUB_TOKEN']);
    // The object comes after both 1Password items: they could not override it.
    expect(kept('TLS')).toEqual(['s3 s3://acme/tls.pem']);
  });

  it('names an ssm parameter by its last segment, a 1Password field by as: or its label; a file secret is no variable', () => {
    // big/dev comes before the certain parameter: it is not read.
    expect(kept('STRIPE_KEY')[0]).toBe('ssm /legacy/stripe_key');
    expect(kept('STRIPE')[0]).toBe('op op://Shared/Stripe/secret key');
    expect(kept('certs/key.pem')).toEqual([]);
  });

  it('reads nothing for a name no source can give, nor for one chamber could never produce', () => {
    expect(profileNarrowedTo(profile, 'lower_case').profile.sources.filter((s) => s.kind !== 'op')).toEqual([]);
    expect(profileNarrowedTo(profile, 'lower_case').profile.sources.filter((s) => s.kind === 'chamber')).toEqual([]);
  });

  it('spells at most three separators every way, longer names in one separator each', () => {
    const only = profileNarrowedTo(profile, 'A_B_C_D_E').profile.sources.find((s) => s.kind === 'chamber');
    expect(only).toMatchObject({ only: ['a_b_c_d_e', 'a-b-c-d-e', 'a.b.c.d.e', 'A_B_C_D_E'] });
    const spelled = profileNarrowedTo(profile, 'A_B_C_D').profile.sources.find((s) => s.kind === 'chamber');
    expect(spelled?.kind === 'chamber' && spelled.only!.length).toBe(28);
  });
});

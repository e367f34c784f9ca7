import { PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { seedChamberService } from '../support/ssm-seed';
import { seededRandom } from '../support/random';

/**
 * The benchmark's data set: 20 chamber services of about 35 keys (33–37, 700 in all) and one of 300, so 1,000
 * secrets. Two small extras, outside those 1,000, give the re-sync profile an `ssm:` single name and a chamber
 * `only:` source, so those request paths are measured too.
 *
 * Values are generated from a fixed seed: runs are comparable and every read can be checked against the seed.
 * They are test data, but the bench still never prints or persists them.
 */

export const REGION = 'us-east-1';
const SMALL_SERVICE_COUNT = 20;
const BIG_SERVICE_KEYS = 300;
const SMALL_SERVICE_SIZES = [33, 34, 35, 36, 37];

export interface BenchService {
  /** chamber service name, e.g. `bench/svc-07`; its SSM path is `/bench/svc-07`. */
  service: string;
  entries: Record<string, string>;
}

export interface BenchData {
  /** The 21 services of the 1,000 secrets. */
  services: BenchService[];
  /** Read with `only:` in the re-sync and throttling profiles. */
  shared: BenchService;
  sharedOnly: string[];
  /** Read with `ssm:` + `as:`. */
  legacy: { name: string; as: string; value: string };
  /** Every value a profile should produce, by env name. */
  expected: { all: Map<string, string>; resync: Map<string, string>; team: Map<string, string> };
}

export function makeBenchData(seed = 20_240_601): BenchData {
  const random = seededRandom(seed);
  const value = () => randomSecret(random);
  const services: BenchService[] = [];
  for (let i = 1; i <= SMALL_SERVICE_COUNT; i++) {
    const tag = String(i).padStart(2, '0');
    const size = SMALL_SERVICE_SIZES[(i - 1) % SMALL_SERVICE_SIZES.length]!;
    services.push({ service: `bench/svc-${tag}`, entries: keysOf(`s${tag}`, size, value) });
  }
  services.push({ service: 'bench/big', entries: keysOf('big', BIG_SERVICE_KEYS, value) });

  const shared: BenchService = { service: 'bench/shared', entries: keysOf('shared', 5, value) };
  const sharedOnly = Object.keys(shared.entries).slice(0, 2);
  const legacy = { name: '/bench/legacy/api_token', as: 'LEGACY_API_TOKEN', value: value() };

  const envOf = (list: BenchService[]) =>
    new Map(list.flatMap((s) => Object.entries(s.entries).map(([k, v]) => [k.toUpperCase(), v] as const)));
  const extras = (): [string, string][] => [
    ...sharedOnly.map((k) => [k.toUpperCase(), shared.entries[k]!] as [string, string]),
    [legacy.as, legacy.value],
  ];
  const all = envOf(services);
  const resync = new Map([...all, ...extras()]);
  const team = new Map([...envOf(services.slice(0, TEAM_SERVICE_COUNT)), ...extras()]);
  return { services, shared, sharedOnly, legacy, expected: { all, resync, team } };
}

/** Services in the throttling scenario's profile: what one developer's app typically pulls. */
const TEAM_SERVICE_COUNT = 3;

export function secretCount(services: BenchService[]): number {
  return services.reduce((n, s) => n + Object.keys(s.entries).length, 0);
}

/**
 * Three profiles over the data set:
 * - `all`: the 1,000 secrets (the resolve budget);
 * - `resync`: the same plus an `only:` and an `ssm:` source (the re-sync budget);
 * - `team`: three services plus the same extras (the throttling scenario).
 */
export function benchManifest(data: BenchData): string {
  const chamber = (list: BenchService[]) => list.map((s) => `      - chamber: ${s.service}\n`).join('');
  const extras =
    `      - chamber: ${data.shared.service}\n        only: [${data.sharedOnly.join(', ')}]\n` +
    `      - ssm: ${data.legacy.name}\n        as: ${data.legacy.as}\n`;
  return (
    `version: 1\naws: { region: ${REGION} }\nprofiles:\n` +
    `  all:\n    target: .env\n    sources:\n${chamber(data.services)}` +
    `  resync:\n    target: .env\n    sources:\n${chamber(data.services)}${extras}` +
    `  team:\n    target: .env\n    sources:\n${chamber(data.services.slice(0, TEAM_SERVICE_COUNT))}${extras}`
  );
}

/** Writes the whole data set the way chamber would (SecureString, chamber's counter in the Description). */
export async function seedBenchData(client: SSMClient, data: BenchData): Promise<void> {
  for (const s of [...data.services, data.shared]) {
    await seedChamberService(client, s.service, s.entries, { concurrency: 8 });
  }
  await client.send(
    new PutParameterCommand({
      Name: data.legacy.name,
      Value: data.legacy.value,
      Type: 'SecureString',
      Overwrite: true,
    }),
  );
}

function keysOf(prefix: string, count: number, value: () => string): Record<string, string> {
  const entries: Record<string, string> = {};
  for (let k = 1; k <= count; k++) entries[`${prefix}_key_${String(k).padStart(3, '0')}`] = value();
  return entries;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** About the size of a real API key or password, base64-ish. */
function randomSecret(random: () => number): string {
  const length = 24 + Math.floor(random() * 41);
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[Math.floor(random() * ALPHABET.length)];
  return out;
}

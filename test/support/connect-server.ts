/**
 * A 1Password Connect server for tests, written from ../shared/reference/1password-connect-openapi.yaml: vaults and
 * items (summaries and full items with sections, fields and purposes), SCIM `eq` filters on `name` and `title`,
 * trailing-slash paths, OTP fields with real RFC 6238 codes (`totp`, as Connect >= 1.5), the spec's `{status,
 * message}` errors, unauthenticated /heartbeat and /health, and a fault mode (latency, 429, 500, connection resets).
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { currentTotp } from './totp';

type FieldType = 'STRING' | 'EMAIL' | 'CONCEALED' | 'URL' | 'OTP' | 'TOTP' | 'DATE' | 'MONTH_YEAR' | 'MENU';
type FieldPurpose = '' | 'USERNAME' | 'PASSWORD' | 'NOTES';

interface SeedField {
  id?: string;
  label: string;
  value?: string;
  type?: FieldType;
  purpose?: FieldPurpose;
  /** Section id (or the label of a section declared on the item); undefined or absent for none. */
  section?: string | undefined;
}

export interface SeedItem {
  id?: string;
  title: string;
  category?: string;
  version?: number;
  updatedAt?: string;
  urls?: { href: string; label?: string; primary?: boolean }[];
  sections?: { id: string; label?: string }[];
  fields: SeedField[];
}

export interface SeedVault {
  id?: string;
  name: string;
  /** False: the token does not see this vault (listing hides it; direct access is 403). */
  inScope?: boolean;
  items: SeedItem[];
}

type FaultKind = 429 | 500 | 'reset';

interface Faults {
  /** Added before every response, including /heartbeat. */
  latencyMs?: number | undefined;
  /** Served in order to the next matching /v1 requests, then normal service resumes. */
  next?: FaultKind[];
  /** Only requests whose path contains this string take faults from `next` (default: every /v1 request). */
  match?: string;
}

export interface ConnectServerOptions {
  token: string;
  vaults: SeedVault[];
  latencyMs?: number;
  faults?: Faults;
  /** Report as this Connect version from /health; below 1.5 OTP fields carry no `totp`. */
  version?: string;
}

interface ConnectStats {
  total: number;
  /** `GET /v1/vaults/<id>/items/<id>` → count; trailing slash dropped, query excluded. */
  byPath: Record<string, number>;
  /** Faults served, by kind. */
  faults: Record<string, number>;
  /** Most requests in flight at once (received, not yet answered). */
  maxInFlight: number;
}

type ServedItem = SeedItem & {
  id: string;
  version: number;
  updatedAt: string;
  fields: (SeedField & { id: string })[];
};
type ServedVault = { id: string; name: string; inScope: boolean; items: ServedItem[] };

export interface ConnectServer {
  url: string;
  /** Resolved seed: every vault, item, section and field with its id. */
  vaults: ServedVault[];
  setFaults(faults: Faults): void;
  stats(): ConnectStats;
  resetStats(): void;
  stop(): Promise<void>;
}

/** A stable 26-char `[a-z0-9]` id, as Connect's are. */
export function connectId(seed: string): string {
  const digest = createHash('sha256').update(seed).digest();
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(digest.subarray(0, 26), (b) => alphabet[b % 36]).join('');
}

export async function startConnectServer(options: ConnectServerOptions): Promise<ConnectServer> {
  const vaults: ServedVault[] = options.vaults.map((v) => {
    const vaultId = v.id ?? connectId(`vault:${v.name}`);
    return {
      id: vaultId,
      name: v.name,
      inScope: v.inScope ?? true,
      items: v.items.map((item, i) => ({
        ...item,
        id: item.id ?? connectId(`item:${vaultId}:${item.title}:${i}`),
        version: item.version ?? 1,
        updatedAt: item.updatedAt ?? '2026-11-01T10:00:00Z',
        fields: item.fields.map((f, j) => ({ ...f, id: f.id ?? connectId(`field:${vaultId}:${i}:${j}:${f.label}`) })),
      })),
    };
  });
  let faults: Faults = { ...options.faults, latencyMs: options.faults?.latencyMs ?? options.latencyMs };
  let stats: ConnectStats = { total: 0, byPath: {}, faults: {}, maxInFlight: 0 };
  let inFlight = 0;
  const version = options.version ?? '1.7.1';
  const sockets = new Set<Socket>();

  const send = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  const error = (res: ServerResponse, status: number, message: string) => send(res, status, { status, message });

  const vaultJson = (v: (typeof vaults)[number]) => ({
    id: v.id,
    name: v.name,
    description: '',
    attributeVersion: 1,
    contentVersion: v.items.length + 1,
    items: v.items.length,
    type: 'USER_CREATED',
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-11-01T10:00:00Z',
  });
  type Item = (typeof vaults)[number]['items'][number];
  const summaryJson = (vaultId: string, item: Item) => ({
    id: item.id,
    title: item.title,
    vault: { id: vaultId },
    category: item.category ?? 'LOGIN',
    urls: item.urls ?? [],
    favorite: false,
    tags: [],
    version: item.version,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: item.updatedAt,
    lastEditedBy: 'test-user-id',
  });
  const fullJson = (vaultId: string, item: Item) => ({
    ...summaryJson(vaultId, item),
    sections: item.sections ?? [],
    fields: item.fields.map((f) => {
      const sectionId =
        f.section && (item.sections?.find((s) => s.id === f.section || s.label === f.section)?.id ?? f.section);
      const type = f.type ?? 'STRING';
      const isOtp = type === 'OTP' || type === 'TOTP';
      return {
        id: f.id,
        type,
        purpose: f.purpose ?? '',
        label: f.label,
        ...(f.value !== undefined && { value: f.value }),
        ...(sectionId && { section: { id: sectionId } }),
        ...(isOtp && f.value && versionAtLeast(version, 1, 5) && { totp: currentTotp(f.value) }),
      };
    }),
  });

  /** `name eq "X"` (the spec) or `title eq "X"` (the JS client); `co` for contains. Unescaped, as the client sends. */
  const applyFilter = <T>(list: T[], filter: string | null, textOf: (t: T) => string): T[] | undefined => {
    if (filter === null) return list;
    const m = /^\s*(name|title)\s+(eq|co)\s+"(.*)"\s*$/s.exec(filter);
    if (!m) return undefined;
    const wanted = m[3]!;
    return list.filter((t) => (m[2] === 'eq' ? textOf(t) === wanted : textOf(t).includes(wanted)));
  };

  const route = (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    if (path === '/heartbeat') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('.');
      return;
    }
    if (path === '/health') {
      send(res, 200, {
        name: '1Password Connect API',
        version,
        dependencies: [{ service: 'sqlite', status: 'ACTIVE' }],
      });
      return;
    }
    if (!path.startsWith('/v1/')) return error(res, 404, 'not found');
    const auth = req.headers.authorization;
    if (auth !== `Bearer ${options.token}`) return error(res, 401, 'Invalid token signature');
    if (req.method !== 'GET') return error(res, 405, 'method not supported by the test server');

    const parts = path.split('/').slice(2); // after /v1
    if (parts[0] !== 'vaults') return error(res, 404, 'not found');
    if (parts.length === 1) {
      const listed = applyFilter(
        vaults.filter((v) => v.inScope),
        url.searchParams.get('filter'),
        (v) => v.name,
      );
      if (!listed) return error(res, 400, 'Invalid filter');
      return send(res, 200, listed.map(vaultJson));
    }
    const vault = vaults.find((v) => v.id === parts[1]);
    if (!vault) return error(res, 404, `vault ${parts[1]} not found`);
    if (!vault.inScope) return error(res, 403, `vault ${vault.id} is not in scope`);
    if (parts.length === 2) return send(res, 200, vaultJson(vault));
    if (parts[2] !== 'items') return error(res, 404, 'not found');
    if (parts.length === 3) {
      const listed = applyFilter(vault.items, url.searchParams.get('filter'), (i) => i.title);
      if (!listed) return error(res, 400, 'Invalid filter');
      return send(
        res,
        200,
        listed.map((i) => summaryJson(vault.id, i)),
      );
    }
    if (parts.length === 4) {
      const item = vault.items.find((i) => i.id === parts[3]);
      if (!item) return error(res, 404, `item ${parts[3]} not found`);
      return send(res, 200, fullJson(vault.id, item));
    }
    return error(res, 404, 'not found');
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://connect.test');
    const pathKey = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    stats.total += 1;
    const key = `${req.method} ${pathKey}`;
    stats.byPath[key] = (stats.byPath[key] ?? 0) + 1;
    inFlight += 1;
    stats.maxInFlight = Math.max(stats.maxInFlight, inFlight);
    let finished = false;
    const finish = () => {
      if (!finished) inFlight -= 1;
      finished = true;
    };
    res.on('close', finish);
    const fault =
      pathKey.startsWith('/v1/') && (!faults.match || pathKey.includes(faults.match))
        ? faults.next?.shift()
        : undefined;
    const serve = () => {
      if (fault !== undefined) stats.faults[String(fault)] = (stats.faults[String(fault)] ?? 0) + 1;
      if (fault === 'reset') return req.socket.destroy();
      if (fault === 429) return error(res, 429, 'Too many requests');
      if (fault === 500) return error(res, 500, 'Internal server error');
      route(req, res, url);
    };
    req.resume();
    req.on('end', () => {
      if (faults.latencyMs) setTimeout(serve, faults.latencyMs);
      else serve();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    vaults,
    setFaults(next) {
      faults = { ...next };
    },
    stats: () => structuredClone(stats),
    resetStats() {
      stats = { total: 0, byPath: {}, faults: {}, maxInFlight: 0 };
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function versionAtLeast(version: string, major: number, minor: number): boolean {
  const [a = 0, b = 0] = version.split('.').map(Number);
  return a > major || (a === major && b >= minor);
}

/**
 * The Logins tests' usual item: the Grafana login with its https URL, a username and `password`, and a one-time
 * password when `otp` is given. `more` adds to it or replaces its parts (another URL, an update time).
 */
export function grafanaLogin(password: string, opts: { otp?: string; more?: Partial<SeedItem> } = {}): SeedItem {
  return {
    title: 'Grafana',
    category: 'LOGIN',
    urls: [{ href: 'https://grafana.example.test/login', primary: true }],
    fields: [
      { label: 'username', value: 'ops@example.test', purpose: 'USERNAME', type: 'STRING' },
      { label: 'password', value: password, purpose: 'PASSWORD', type: 'CONCEALED' },
      ...(opts.otp !== undefined ? [{ label: 'one-time password', value: opts.otp, type: 'OTP' as const }] : []),
    ],
    ...opts.more,
  };
}

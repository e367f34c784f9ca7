import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/*
 * The least of a Kubernetes API server that `kubectl apply --dry-run=client` needs: /version, discovery (/api,
 * /apis, /api/v1), the OpenAPI v3 schema that kubectl validates a manifest against, and a 404 for the object's
 * current state (so kubectl plans a create and sends nothing). The schema of Secret and ObjectMeta follows the
 * Kubernetes v1 API reference; kubectl itself does the decoding (go-yaml, YAML 1.1) and the validation.
 */

const SECRET_GVK = { group: '', kind: 'Secret', version: 'v1' };
const string = { type: 'string' };
const stringMap = { type: 'object', additionalProperties: { type: 'string', default: '' } };

const OBJECT_META = {
  type: 'object',
  properties: {
    annotations: stringMap,
    creationTimestamp: { type: 'string', format: 'date-time' },
    deletionGracePeriodSeconds: { type: 'integer', format: 'int64' },
    deletionTimestamp: { type: 'string', format: 'date-time' },
    finalizers: { type: 'array', items: { type: 'string', default: '' } },
    generateName: string,
    generation: { type: 'integer', format: 'int64' },
    labels: stringMap,
    name: string,
    namespace: string,
    resourceVersion: string,
    selfLink: string,
    uid: string,
  },
};

const SECRET = {
  type: 'object',
  properties: {
    apiVersion: string,
    data: { type: 'object', additionalProperties: { type: 'string', format: 'byte' } },
    immutable: { type: 'boolean' },
    kind: string,
    metadata: {
      default: {},
      allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }],
    },
    stringData: stringMap,
    type: string,
  },
  'x-kubernetes-group-version-kind': [SECRET_GVK],
};

const FIELD_VALIDATION = { name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } };

/** Like a current API server, it declares server-side field validation, as kubectl checks before it validates. */
const OPENAPI_V1 = {
  openapi: '3.0.0',
  info: { title: 'Kubernetes', version: 'v1.32.0' },
  paths: {
    '/api/v1/namespaces/{namespace}/secrets': {
      post: {
        operationId: 'createCoreV1NamespacedSecret',
        parameters: [FIELD_VALIDATION],
        'x-kubernetes-action': 'post',
        'x-kubernetes-group-version-kind': SECRET_GVK,
      },
    },
    '/api/v1/namespaces/{namespace}/secrets/{name}': {
      patch: {
        operationId: 'patchCoreV1NamespacedSecret',
        parameters: [FIELD_VALIDATION],
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': SECRET_GVK,
      },
    },
  },
  components: {
    schemas: {
      'io.k8s.api.core.v1.Secret': SECRET,
      'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': OBJECT_META,
    },
  },
};

const RESOURCES = {
  kind: 'APIResourceList',
  groupVersion: 'v1',
  resources: [
    {
      name: 'secrets',
      singularName: 'secret',
      namespaced: true,
      kind: 'Secret',
      verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    },
    { name: 'namespaces', singularName: 'namespace', namespaced: false, kind: 'Namespace', verbs: ['get', 'list'] },
  ],
};

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function route(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  switch (url.pathname) {
    case '/version':
      return reply(res, 200, { major: '1', minor: '32', gitVersion: 'v1.32.0' });
    case '/api':
      return reply(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
    case '/apis':
      return reply(res, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups: [] });
    case '/api/v1':
      return reply(res, 200, RESOURCES);
    case '/openapi/v3':
      return reply(res, 200, { paths: { 'api/v1': { serverRelativeURL: '/openapi/v3/api/v1?hash=latchkey' } } });
    case '/openapi/v3/api/v1':
      return reply(res, 200, OPENAPI_V1);
    default:
      return reply(res, 404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 });
  }
}

export interface FakeKubeApi {
  /** A kubeconfig file that points kubectl at this server. */
  kubeconfig: string;
  /** Every request kubectl made, as `METHOD path`: it must never write. */
  requests: string[];
  stop(): Promise<void>;
}

export async function startFakeKubeApi(): Promise<FakeKubeApi> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${new URL(req.url ?? '/', 'http://localhost').pathname}`);
    route(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const dir = mkdtempSync(path.join(tmpdir(), 'latchkey-kube-'));
  const kubeconfig = path.join(dir, 'config');
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      `clusters: [{name: fake, cluster: {server: "http://127.0.0.1:${port}"}}]`,
      'contexts: [{name: fake, context: {cluster: fake, user: fake}}]',
      'users: [{name: fake, user: {}}]',
      'current-context: fake',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  return {
    kubeconfig,
    requests,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

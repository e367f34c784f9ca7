import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny in-process STS + IAM for unit tests (the unit layer has no moto): one IAM user whose access keys are
 * checked on every call (the key id in the SigV4 Authorization header must be one it issued; the signature itself
 * is not verified), GetSessionToken / AssumeRole sessions, and the key calls rotation and the keys view make.
 * Every secret it issues starts with SECRET_MARK, so a test can prove none of them leaked anywhere.
 */
export const SECRET_MARK = 'stubsecretcanary';

export interface AwsStub {
  endpoint: string;
  /** Long-lived keys of the one IAM user; the first exists from the start. */
  userKeys(): { accessKeyId: string; secretAccessKey: string }[];
  /** Every action served, in order ('GetSessionToken', …), with the MFA code when one was sent. */
  calls: { action: string; tokenCode?: string }[];
  stop(): Promise<void>;
}

const ACCOUNT = '123456789012';
const USER = 'stub-user';

export async function startAwsStub(): Promise<AwsStub> {
  const longLived = new Map<string, { secret: string; created: Date }>();
  const sessions = new Set<string>();
  const calls: AwsStub['calls'] = [];
  const id = (prefix: string) => `${prefix}${randomBytes(8).toString('hex').toUpperCase()}`;
  const newUserKey = () => {
    const accessKeyId = id('AKIASTUB');
    longLived.set(accessKeyId, { secret: `${SECRET_MARK}${randomBytes(12).toString('hex')}`, created: new Date() });
    return accessKeyId;
  };
  newUserKey();

  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const params = new URLSearchParams(body);
      const action = params.get('Action') ?? '';
      const tokenCode = params.get('TokenCode') ?? undefined;
      calls.push({ action, ...(tokenCode && { tokenCode }) });
      const caller = /Credential=([A-Z0-9]+)\//.exec(req.headers.authorization ?? '')?.[1] ?? '';
      const reply = (status: number, xml: string) => {
        res.writeHead(status, { 'content-type': 'text/xml' });
        res.end(xml);
      };
      if (!longLived.has(caller) && !sessions.has(caller))
        return reply(403, error('InvalidClientTokenId', 'The security token included in the request is invalid.'));
      const session = (seconds: number) => {
        const accessKeyId = id('ASIASTUB');
        sessions.add(accessKeyId);
        const expiration = new Date(Date.now() + seconds * 1000).toISOString();
        return `<Credentials><AccessKeyId>${accessKeyId}</AccessKeyId><SecretAccessKey>${SECRET_MARK}${randomBytes(12).toString('hex')}</SecretAccessKey><SessionToken>${SECRET_MARK}token${randomBytes(24).toString('hex')}</SessionToken><Expiration>${expiration}</Expiration></Credentials>`;
      };
      switch (action) {
        case 'GetCallerIdentity':
          return reply(
            200,
            ok(
              action,
              `<Arn>arn:aws:iam::${ACCOUNT}:user/${USER}</Arn><UserId>AIDASTUB</UserId><Account>${ACCOUNT}</Account>`,
            ),
          );
        case 'GetSessionToken':
          if (params.get('SerialNumber') && !/^\d{6}$/.test(tokenCode ?? ''))
            return reply(403, error('AccessDenied', 'MFA code required'));
          return reply(200, ok(action, session(Number(params.get('DurationSeconds') ?? 43_200))));
        case 'AssumeRole':
          return reply(
            200,
            ok(
              action,
              `${session(Number(params.get('DurationSeconds') ?? 3600))}<AssumedRoleUser><Arn>arn:aws:sts::${ACCOUNT}:assumed-role/r/s</Arn><AssumedRoleId>AROASTUB:s</AssumedRoleId></AssumedRoleUser>`,
            ),
          );
        case 'ListAccessKeys':
          return reply(
            200,
            ok(
              action,
              `<AccessKeyMetadata>${[...longLived].map(([k, v]) => `<member><UserName>${USER}</UserName><AccessKeyId>${k}</AccessKeyId><Status>Active</Status><CreateDate>${v.created.toISOString()}</CreateDate></member>`).join('')}</AccessKeyMetadata><IsTruncated>false</IsTruncated>`,
            ),
          );
        case 'GetAccessKeyLastUsed':
          return reply(
            200,
            ok(
              action,
              `<UserName>${USER}</UserName><AccessKeyLastUsed><LastUsedDate>${new Date().toISOString()}</LastUsedDate><ServiceName>sts</ServiceName><Region>us-east-1</Region></AccessKeyLastUsed>`,
            ),
          );
        case 'CreateAccessKey': {
          if (longLived.size >= 2)
            return reply(409, error('LimitExceeded', 'Cannot exceed quota for AccessKeysPerUser: 2'));
          const accessKeyId = newUserKey();
          const key = longLived.get(accessKeyId)!;
          return reply(
            200,
            ok(
              action,
              `<AccessKey><UserName>${USER}</UserName><AccessKeyId>${accessKeyId}</AccessKeyId><Status>Active</Status><SecretAccessKey>${key.secret}</SecretAccessKey><CreateDate>${key.created.toISOString()}</CreateDate></AccessKey>`,
            ),
          );
        }
        case 'DeleteAccessKey':
          if (!longLived.delete(params.get('AccessKeyId') ?? ''))
            return reply(404, error('NoSuchEntity', 'The Access Key was not found.'));
          return reply(200, ok(action, ''));
        default:
          return reply(400, error('InvalidAction', 'Unknown action'));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    userKeys: () => [...longLived].map(([accessKeyId, v]) => ({ accessKeyId, secretAccessKey: v.secret })),
    calls,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function ok(action: string, result: string): string {
  return `<${action}Response><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>stub</RequestId></ResponseMetadata></${action}Response>`;
}

function error(code: string, message: string): string {
  return `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>stub</RequestId></ErrorResponse>`;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString('utf8')));
    req.on('end', () => resolve(body));
  });
}

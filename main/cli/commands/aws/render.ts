import type { AccessKeyInfo, AwsFileEdit, AwsProfileListing } from '../../../app';
import type { CliContext } from '../../context';

export function noteBackups(ctx: CliContext, edits: AwsFileEdit[]): void {
  for (const e of edits)
    if (e.backup) ctx.note(`First edit of ${e.file} by Latchkey: kept a one-time backup at ${e.backup} (0600).`);
}

export function profileRow(p: AwsProfileListing): string[] {
  const session = p.session.active ? `active until ${p.session.expiration}` : p.session.managed ? 'expired' : '-';
  return [p.name, p.kind, p.region ?? '-', p.mfaSerial ? 'yes' : '-', session];
}

export function keyRow(profile: string, k: AccessKeyInfo): string[] {
  const used = k.lastUsed?.date
    ? `${k.lastUsed.date.slice(0, 10)}${k.lastUsed.service ? ` ${k.lastUsed.service}` : ''}${k.lastUsed.region ? ` ${k.lastUsed.region}` : ''}`
    : 'never';
  return [
    profile,
    `${k.keyId}${k.current ? ' (this)' : ''}`,
    k.status,
    k.rotation.ageDays === undefined ? '-' : `${k.rotation.ageDays} d`,
    `${k.rotation.status} (${k.rotation.maxAgeDays} d)`,
    used,
  ];
}

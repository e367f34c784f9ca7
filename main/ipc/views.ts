import type { AuditEntry, AwsKeyView, ManifestView, ProfileView, SourceView } from '../../contract/ipc';
import type { AccessKeyInfo } from '../app';
import type { AuditEvent } from '../core/audit';
import { specRef, type Manifest, type Profile, type SourceSpec } from '../core/types';

/** The manifest as the renderer sees it: names, kinds and positions, and `set`'s plain values so the editor can keep them. */
export function manifestView(manifest: Manifest): ManifestView {
  return {
    path: manifest.path,
    dir: manifest.dir,
    aws: {
      ...(manifest.aws.profile !== undefined && { profile: manifest.aws.profile }),
      ...(manifest.aws.region !== undefined && { region: manifest.aws.region }),
    },
    maxAgeDays: manifest.rotation.maxAgeDays,
    profiles: [...manifest.profiles.values()].map(profileView),
  };
}

function profileView(profile: Profile): ProfileView {
  return {
    name: profile.name,
    ...(profile.description !== undefined && { description: profile.description }),
    target: profile.targetRel,
    dialect: profile.dialect,
    maxAgeDays: profile.rotation.maxAgeDays,
    sources: profile.sources.map(sourceView),
  };
}

function sourceView(spec: SourceSpec): SourceView {
  const view: SourceView = {
    index: spec.index,
    kind: spec.kind,
    ref: specRef(spec) || 'set',
    ...(spec.pos && { line: spec.pos.line, col: spec.pos.col }),
  };
  switch (spec.kind) {
    case 'chamber':
      return { ...view, ...(spec.only && { only: spec.only }) };
    case 'ssm':
    case 'op':
      return { ...view, ...(spec.as !== undefined && { as: spec.as }) };
    case 's3':
      return {
        ...view,
        ...(spec.as !== undefined && { as: spec.as }),
        ...(spec.file !== undefined && { file: spec.file }),
      };
    case 'set':
      return { ...view, keys: Object.keys(spec.values), values: { ...spec.values } };
    case 'keychain':
      return view;
  }
}

/** An audit event for the renderer: who, when, what and how it went; key names, no versions or paths. */
export function auditEntry(event: AuditEvent): AuditEntry {
  return {
    seq: event.seq,
    time: event.time,
    user: event.user,
    action: event.action,
    outcome: event.outcome,
    ...(event.profile !== undefined && { profile: event.profile }),
    ...(event.target !== undefined && { target: event.target }),
    ...(event.keys !== undefined && { keys: event.keys }),
    ...(event.detail !== undefined && { detail: event.detail }),
  };
}

/** `…WXYZ` from the aws/ functions, as the contract wants it: the last four characters alone. */
export function idTail(tail: string): string {
  return tail.replace(/^…/, '').slice(-4);
}

/** One IAM access key for the AWS screen: the id's tail, status, age against the policy, last use. */
export function keyView(k: AccessKeyInfo): AwsKeyView {
  return {
    idTail: idTail(k.keyId),
    status: k.status,
    ...(k.createdAt && { createdAt: k.createdAt }),
    rotation: {
      status: k.rotation.status,
      maxAgeDays: k.rotation.maxAgeDays,
      ...(k.rotation.ageDays !== undefined && { ageDays: k.rotation.ageDays }),
    },
    ...(k.lastUsed?.date && { lastUsedAt: k.lastUsed.date }),
    ...(k.lastUsed?.service && { lastUsedService: k.lastUsed.service }),
  };
}

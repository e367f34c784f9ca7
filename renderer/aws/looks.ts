import type { AwsProfileKind, AwsProfileView, IpcError } from '../../contract/ipc';
import type { IconId } from '../components/icons';
import type { Tone } from '../lib/status';

export interface KindLook {
  icon: IconId;
  /** The short word in the list. */
  word: string;
  /** One sentence for the detail panel. */
  explain: string;
}

export const KIND_LOOKS: Record<AwsProfileKind, KindLook> = {
  'file-keys': {
    icon: 'file',
    word: 'IAM keys in file',
    explain: 'Long-lived IAM user keys, in plain text in ~/.aws/credentials.',
  },
  'keychain-keys': {
    icon: 'lock',
    word: 'IAM keys in keychain',
    explain: 'Long-lived IAM user keys, held in your OS keychain by Latchkey.',
  },
  role: { icon: 'layers', word: 'Role', explain: 'Assumes a role with the keys or session of its source profile.' },
  sso: { icon: 'external', word: 'SSO', explain: 'Signs in through AWS IAM Identity Center in your browser.' },
  'credential-process': {
    icon: 'terminal',
    word: 'credential_process',
    explain: 'The AWS tools run a command that prints the credentials.',
  },
  unknown: {
    icon: 'question',
    word: 'Other',
    explain: 'Latchkey does not recognise how this profile gets its credentials.',
  },
};

/** Ten minutes left: amber, so there is time to refresh before a command fails. */
const SOON_MS = 10 * 60_000;

export type SessionPhase = 'active' | 'expiring' | 'expired' | 'none';

export function sessionPhase(session: AwsProfileView['session'], now: number): SessionPhase {
  if (!session.active) return 'none';
  if (!session.expiresAt) return 'active';
  const left = Date.parse(session.expiresAt) - now;
  if (Number.isNaN(left)) return 'active';
  if (left <= 0) return 'expired';
  return left < SOON_MS ? 'expiring' : 'active';
}

export const PHASE_TONES: Record<SessionPhase, Tone> = {
  active: 'ok',
  expiring: 'warn',
  expired: 'muted',
  none: 'muted',
};

/** "11h 42m", "9m 05s", "42s": hours and minutes while there is time, seconds once it is short. */
export function formatLeft(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}

/** The same in words, for screen readers. */
export function spokenLeft(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const parts = [h ? `${h} hour${h === 1 ? '' : 's'}` : '', m ? `${m} minute${m === 1 ? '' : 's'}` : ''].filter(
    Boolean,
  );
  return parts.length ? parts.join(' ') : 'less than a minute';
}

/**
 * NEEDS_INPUT from a login means an MFA code, except when the profile has no keys to sign with at all (main says
 * "import them"): that one is a real error, shown with its hint.
 */
export function isMfaAsk(error: IpcError, profile: AwsProfileView | undefined): boolean {
  if (error.code !== 'NEEDS_INPUT') return false;
  if (/\bmfa\b/i.test(`${error.message} ${error.hint ?? ''}`)) return true;
  return !!profile?.mfaSerial && !/keychain|import/i.test(error.message);
}

/** Which profiles can start a session at all; `unknown` ones have nothing Latchkey can run. */
export const canStart = (p: AwsProfileView) => p.kind !== 'unknown';
/** IAM user keys: the kinds with an access key to list, import or rotate. */
export const hasUserKeys = (p: AwsProfileView) => p.kind === 'file-keys' || p.kind === 'keychain-keys';

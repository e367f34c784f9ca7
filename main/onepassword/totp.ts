import { createHmac } from 'node:crypto';

/**
 * The current RFC 6238 code for an OTP field, for Connect servers older than 1.5 that do not send `totp`.
 * Accepts an `otpauth://totp/...` URI or a bare base32 secret. Returns undefined when the value is neither.
 */
export function totpNow(value: string, nowMs = Date.now()): string | undefined {
  let secret = value;
  let period = 30;
  let digits = 6;
  let algorithm = 'sha1';
  if (value.startsWith('otpauth://')) {
    try {
      const q = new URL(value).searchParams;
      secret = q.get('secret') ?? '';
      period = Number(q.get('period') ?? 30);
      digits = Number(q.get('digits') ?? 6);
      algorithm = (q.get('algorithm') ?? 'SHA1').toLowerCase();
    } catch {
      return undefined;
    }
  }
  const key = base32(secret);
  if (!key || !(period > 0) || !(digits >= 6 && digits <= 10) || !['sha1', 'sha256', 'sha512'].includes(algorithm))
    return undefined;
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(nowMs / 1000 / period)));
  const mac = createHmac(algorithm, key).update(counter).digest();
  const at = mac[mac.length - 1]! & 0x0f;
  return String((mac.readUInt32BE(at) & 0x7fffffff) % 10 ** digits).padStart(digits, '0');
}

function base32(text: string): Buffer | undefined {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let acc = 0;
  const bytes: number[] = [];
  for (const ch of text.replace(/[\s=-]/g, '').toUpperCase()) {
    const v = alphabet.indexOf(ch);
    if (v < 0) return undefined;
    acc = ((acc << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((acc >>> bits) & 0xff);
    }
  }
  return bytes.length > 0 ? Buffer.from(bytes) : undefined;
}

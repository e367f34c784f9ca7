import { createHmac } from 'node:crypto';

/**
 * RFC 6238 TOTP for the Connect test server, written independently of the app's own fallback so that a bug in one
 * does not hide behind the same bug in the other.
 */
export interface TotpParams {
  secret: Buffer;
  period: number;
  digits: number;
  algorithm: 'sha1' | 'sha256' | 'sha512';
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32Decode(text: string): Buffer {
  const clean = text.replace(/[\s=-]/g, '').toUpperCase();
  let bits = 0;
  let acc = 0;
  const out: number[] = [];
  for (const ch of clean) {
    const v = BASE32.indexOf(ch);
    if (v < 0) throw new Error('not base32');
    acc = (acc << 5) | v;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >>> bits) & 0xff);
    }
  }
  return Buffer.from(out);
}

/** Accepts an `otpauth://totp/...` URI or a bare base32 secret, as 1Password does. */
function totpParams(value: string): TotpParams {
  if (!value.startsWith('otpauth://')) return { secret: base32Decode(value), period: 30, digits: 6, algorithm: 'sha1' };
  const url = new URL(value);
  const q = url.searchParams;
  const algorithm = (q.get('algorithm') ?? 'SHA1').toLowerCase() as TotpParams['algorithm'];
  return {
    secret: base32Decode(q.get('secret') ?? ''),
    period: Number(q.get('period') ?? 30),
    digits: Number(q.get('digits') ?? 6),
    algorithm,
  };
}

/** HOTP(K, floor(t / period)), RFC 4226 dynamic truncation. */
export function totpAt(params: TotpParams, unixSeconds: number): string {
  const counter = Math.floor(unixSeconds / params.period);
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(params.algorithm, params.secret).update(msg).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** params.digits;
  return String(code).padStart(params.digits, '0');
}

export function currentTotp(value: string, now = Date.now()): string {
  return totpAt(totpParams(value), Math.floor(now / 1000));
}

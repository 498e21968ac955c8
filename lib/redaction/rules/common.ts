import type { KeyedHash } from "../keyed-hash";
import type { ScalarType } from "../column-meta";

/** What a scalar rule compiler gets: the element type (for arrays) and the keyed hash of the run. */
export type ScalarContext = { type: ScalarType; unique: boolean; keyed: KeyedHash };
export type ScalarRedactor = (value: string) => string | null;

/** Raised when a value cannot be redacted (e.g. a date column value in an unknown text form). Names no value. */
export class RedactionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RedactionError";
  }
}

/** Tries variants 0, 1, 2, ... until one differs from the input: a rule never returns its input unchanged. */
export function firstDifferent(value: string, variant: (attempt: number) => string, attempts = 16): string {
  for (let a = 0; a < attempts; a++) {
    const out = variant(a);
    if (out !== value) return out;
  }
  throw new RedactionError("No redacted variant differs from the input.");
}

/** Cuts to at most n characters (code points, as varchar(n) counts them). */
export function fitLength(s: string, max: number | null): string {
  if (max === null || s.length <= max) return s;
  const cps = Array.from(s);
  return cps.length <= max ? s : cps.slice(0, max).join("");
}

export function charLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) n++;
  }
  return n;
}

const B32 = "abcdefghijklmnopqrstuvwxyz234567";
const B32_CODES = Array.from(B32, (c) => c.charCodeAt(0));
/** RFC 4648 base32 (lower case, no padding) of bytes, first n characters. */
export function base32(bytes: Uint8Array, n: number): string {
  if (n === 10 && bytes.length >= 7) return base32Ten(bytes);
  let out = "";
  let bits = 0;
  let acc = 0;
  for (let i = 0; i < bytes.length && out.length < n; i++) {
    acc = (acc << 8) | bytes[i];
    bits += 8;
    while (bits >= 5 && out.length < n) {
      out += B32[(acc >>> (bits - 5)) & 31];
      bits -= 5;
    }
    acc &= (1 << bits) - 1;
  }
  return out;
}

/** base32(bytes, 10): the 50 leading bits as one string, without a concatenation per character. */
function base32Ten(b: Uint8Array): string {
  const hi = (b[0] << 17) | (b[1] << 9) | (b[2] << 1) | (b[3] >>> 7); // bits 0-24
  const lo = ((b[3] & 0x7f) << 18) | (b[4] << 10) | (b[5] << 2) | (b[6] >>> 6); // bits 25-49
  const c = B32_CODES;
  return String.fromCharCode(
    c[(hi >>> 20) & 31], c[(hi >>> 15) & 31], c[(hi >>> 10) & 31], c[(hi >>> 5) & 31], c[hi & 31],
    c[(lo >>> 20) & 31], c[(lo >>> 15) & 31], c[(lo >>> 10) & 31], c[(lo >>> 5) & 31], c[lo & 31],
  );
}

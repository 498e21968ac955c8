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
/** RFC 4648 base32 (lower case, no padding) of bytes[from, ...), first n characters. */
export function base32(bytes: Uint8Array, n: number, from = 0): string {
  if (n === 10 && bytes.length - from >= 7) return base32Ten(bytes, from);
  let out = "";
  let bits = 0;
  let acc = 0;
  for (let i = from; i < bytes.length && out.length < n; i++) {
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

/** base32(b, 10, i): the 50 leading bits as one string, without a concatenation per character. */
function base32Ten(b: Uint8Array, i: number): string {
  const hi = (b[i] << 17) | (b[i + 1] << 9) | (b[i + 2] << 1) | (b[i + 3] >>> 7); // bits 0-24
  const lo = ((b[i + 3] & 0x7f) << 18) | (b[i + 4] << 10) | (b[i + 5] << 2) | (b[i + 6] >>> 6); // bits 25-49
  const c = B32_CODES;
  return String.fromCharCode(
    c[(hi >>> 20) & 31], c[(hi >>> 15) & 31], c[(hi >>> 10) & 31], c[(hi >>> 5) & 31], c[hi & 31],
    c[(lo >>> 20) & 31], c[(lo >>> 15) & 31], c[(lo >>> 10) & 31], c[(lo >>> 5) & 31], c[lo & 31],
  );
}

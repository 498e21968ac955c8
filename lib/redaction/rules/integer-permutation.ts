// A keyed, fixed-point-free permutation of an integer type's range, for hashing integer keys.
//
// P is a 12-round alternating Feistel network over the b value bits of the non-negative half of
// the range (b = 15, 31, 63); negative values get their own keyed permutation of the negative
// half, so the sign is kept (positive ids stay positive). Round keys come from HMAC-SHA-256(salt); the round function
// is an add-rotate-xor mix of 32-bit words. The output is Q(x) = P⁻¹((P(x) + 1) mod 2^b): still a
// bijection (unique columns stay unique, joins on hashed keys still match), and never x itself.
// This pseudonymises identifiers; it is not meant as an encryption primitive.

import type { KeyedHash } from "../keyed-hash";

const ROUNDS = 12;
const BITS = { int2: 15, int4: 31, int8: 63 } as const;

function mix(v: number, k: number): number {
  let h = (v ^ k) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h + k, 0x27d4eb2f);
  return (h ^ (h >>> 15)) >>> 0;
}

export function makePermutation(bits: number, keyed: KeyedHash, purpose: string) {
  const hiBits = bits >> 1; // e.g. 31 -> 15 high + 16 low; 63 -> 31 + 32
  const loBits = bits - hiBits;
  const hiSize = 2 ** hiBits;
  const loSize = 2 ** loBits;
  const keyBytes = Buffer.concat([keyed.derive(`${purpose}:0`, ""), keyed.derive(`${purpose}:1`, "")]);
  const keys = Array.from({ length: ROUNDS }, (_, r) => keyBytes.readUInt32BE(r * 4));
  // Both halves have at most 32 bits, so "mod 2^n" of a sum or difference of numbers below 2^33 is
  // a bit mask (n < 32) or ToUint32 (n = 32), exactly what the % arithmetic gave, without a division.
  const hiMod = (x: number) => x & (hiSize - 1);
  const loMod = loBits === 32 ? (x: number) => x >>> 0 : (x: number) => x & (loSize - 1);
  const forward = (hi: number, lo: number): [number, number] => {
    for (let r = 0; r < ROUNDS; r += 2) {
      hi = hiMod(hi + mix(lo, keys[r]));
      lo = loMod(lo + mix(hi, keys[r + 1]));
    }
    return [hi, lo];
  };
  const backward = (hi: number, lo: number): [number, number] => {
    for (let r = ROUNDS - 2; r >= 0; r -= 2) {
      lo = loMod(lo - mix(hi, keys[r + 1]));
      hi = hiMod(hi - mix(lo, keys[r]));
    }
    return [hi, lo];
  };
  /** Q(x) = P⁻¹(P(x) + 1) on [0, 2^bits). */
  const next = (hi: number, lo: number): [number, number] => {
    let [h, l] = forward(hi, lo);
    l += 1;
    if (l === loSize) {
      l = 0;
      h = (h + 1) % hiSize;
    }
    return backward(h, l);
  };
  return { hiSize, loSize, forward, backward, next };
}

export function integerPermutation(type: "int2" | "int4" | "int8", keyed: KeyedHash): (value: string) => string {
  const bits = BITS[type];
  // Separate keys for the two halves, so -1 - x and x do not map alike.
  const positive = makePermutation(bits, keyed, `hash:int${bits}`);
  const negative = makePermutation(bits, keyed, `hash:int${bits}:negative`);
  const loSize = positive.loSize;
  if (type !== "int8") {
    return (value) => {
      const n = Number(value);
      const neg = n < 0;
      const u = neg ? -1 - n : n;
      const [h, l] = (neg ? negative : positive).next(Math.floor(u / loSize), u % loSize);
      const out = h * loSize + l;
      return String(neg ? -1 - out : out);
    };
  }
  const loBig = BigInt(loSize);
  return (value) => {
    const n = BigInt(value);
    const neg = n < 0n;
    const u = neg ? -1n - n : n;
    const [h, l] = (neg ? negative : positive).next(Number(u / loBig), Number(u % loBig));
    const out = BigInt(h) * loBig + BigInt(l);
    return String(neg ? -1n - out : out);
  };
}

// Keyed hashing with the organisation's salt.
//
// digest(): HMAC-SHA-256(salt, m), what the hash rule outputs. The SHA-256 states after the key's
// inner and outer pad blocks are computed once (HMAC(K, m) = H(K^opad || H(K^ipad || m))), so a
// short value costs two compressions in JavaScript (sha256.ts): no Hmac object, no native call
// per value. Equal to createHmac (tested).
//
// derive(): the pseudo-random bytes behind fake/mask/date_shift/numeric_noise: keyed BLAKE2s-256
// (a PRF by design) of the value, with one key per purpose derived from the salt by HMAC, so
// the rules' outputs are unrelated. In JavaScript (blake2s.ts) because for short values that is
// 3-4x faster than a native call, and this runs for every redacted value.

import { createHmac, hash } from "node:crypto";
import { Blake2sKeyed } from "./blake2s";
import { HmacSha256 } from "./sha256";

export class KeyedHash {
  private readonly hmac: HmacSha256;
  private readonly key: Buffer;
  private derivers = new Map<string, Blake2sKeyed>();

  constructor(key: Buffer) {
    this.hmac = new HmacSha256(key, (k) => hash("sha256", k, "buffer"));
    this.key = Buffer.from(key);
  }

  /** HMAC-SHA-256(key, utf8(message)): 32 bytes. */
  digest(message: string): Buffer {
    const out = Buffer.allocUnsafe(32);
    this.hmac.digestText(message, out);
    return out;
  }

  /** The first `chars` (<= 64) lower-case hex digits of digest(message), without a Buffer per value. */
  digestHex(message: string, chars: number): string {
    return this.hmac.digestHex(message, chars);
  }

  /** 32 keyed pseudo-random bytes for (purpose, message); different purposes give unrelated outputs. */
  derive(purpose: string, message: string): Buffer {
    const out = Buffer.allocUnsafe(32);
    this.deriveInto(purpose, message, out);
    return out;
  }

  /** derive() into out[0, 32): what the rules call per value, into a buffer of their own (no Buffer per value). */
  deriveInto(purpose: string, message: string, out: Uint8Array) {
    let d = this.derivers.get(purpose);
    if (!d) {
      if (this.derivers.size >= 256) this.derivers.clear();
      d = new Blake2sKeyed(createHmac("sha256", this.key).update(`doppel derive\u0000${purpose}`).digest());
      this.derivers.set(purpose, d);
    }
    d.hashText(message, out);
  }
}

/** A stream of pseudo-random integers from a digest (re-hashing when its bytes run out). */
export class DigestReader {
  private pos = 0;
  /** Reads bytes[0, end), then the SHA-256 of those bytes, and so on. */
  constructor(
    private bytes: Uint8Array,
    private end = bytes.length,
  ) {}

  /** An integer in [0, n), n <= 2^24 (modulo bias below 2^-8 at the largest n; below 2^-22 for n <= 1000). */
  below(n: number): number {
    if (this.pos + 4 > this.end) this.refill();
    const b = this.bytes;
    const p = this.pos;
    this.pos += 4;
    return (((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0) % n;
  }

  /** A decimal digit, without modulo bias (one byte each: 32 digits per digest). */
  digit(): number {
    for (;;) {
      if (this.pos >= this.end) this.refill();
      const b = this.bytes[this.pos++];
      if (b < 250) return b % 10;
    }
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.below(xs.length)];
  }

  private refill() {
    this.bytes = hash("sha256", this.bytes.subarray(0, this.end), "buffer");
    this.end = 32;
    this.pos = 0;
  }
}

// Keyed hashing with the organisation's salt.
//
// digest(): HMAC-SHA-256(salt, m), what the hash rule outputs. Computed from the key's inner
// and outer pads prepared once (HMAC(K, m) = H(K^opad || H(K^ipad || m))) with one-shot
// crypto.hash over reused buffers: no Hmac object per value. Equal to createHmac (tested).
//
// derive(): the pseudo-random bytes behind fake/mask/date_shift/numeric_noise: keyed BLAKE2s-256
// (a PRF by design) of the value, with one key per purpose derived from the salt by HMAC, so
// the rules' outputs are unrelated. In JavaScript (blake2s.ts) because for short values that is
// 3-4x faster than a native call, and this runs for every redacted value.

import { createHmac, hash } from "node:crypto";
import { Blake2sKeyed } from "./blake2s";

const BLOCK = 64;

export class KeyedHash {
  private inner: Buffer;
  private outer = Buffer.alloc(BLOCK + 32);
  private readonly key: Buffer;
  private derivers = new Map<string, Blake2sKeyed>();

  constructor(key: Buffer) {
    const k = Buffer.alloc(BLOCK);
    (key.length > BLOCK ? hash("sha256", key, "buffer") : key).copy(k);
    this.inner = Buffer.alloc(BLOCK + 1024);
    for (let i = 0; i < BLOCK; i++) {
      this.inner[i] = k[i] ^ 0x36;
      this.outer[i] = k[i] ^ 0x5c;
    }
    this.key = Buffer.from(key);
  }

  /** HMAC-SHA-256(key, utf8(message)): 32 bytes. */
  digest(message: string): Buffer {
    if (message.length * 3 > this.inner.length - BLOCK) this.inner = grow(this.inner, BLOCK, message.length * 3);
    const n = this.inner.write(message, BLOCK, "utf8");
    hash("sha256", this.inner.subarray(0, BLOCK + n), "buffer").copy(this.outer, BLOCK);
    return hash("sha256", this.outer, "buffer");
  }

  /** 32 keyed pseudo-random bytes for (purpose, message); different purposes give unrelated outputs. */
  derive(purpose: string, message: string): Buffer {
    let d = this.derivers.get(purpose);
    if (!d) {
      if (this.derivers.size >= 256) this.derivers.clear();
      d = new Blake2sKeyed(createHmac("sha256", this.key).update(`doppel derive\u0000${purpose}`).digest());
      this.derivers.set(purpose, d);
    }
    const out = Buffer.allocUnsafe(32);
    d.hashText(message, out);
    return out;
  }
}

function grow(buf: Buffer, keep: number, need: number): Buffer {
  const bigger = Buffer.alloc(keep + need);
  buf.copy(bigger, 0, 0, keep);
  return bigger;
}

/** A stream of pseudo-random integers from a digest (re-hashing when the 32 bytes run out). */
export class DigestReader {
  private pos = 0;
  constructor(private bytes: Buffer) {}

  /** An integer in [0, n), n <= 2^24 (modulo bias below 2^-8 at the largest n; below 2^-22 for n <= 1000). */
  below(n: number): number {
    if (this.pos + 4 > this.bytes.length) this.refill();
    const v = this.bytes.readUInt32BE(this.pos);
    this.pos += 4;
    return v % n;
  }

  /** A decimal digit, without modulo bias (one byte each: 32 digits per digest). */
  digit(): number {
    for (;;) {
      if (this.pos >= this.bytes.length) this.refill();
      const b = this.bytes[this.pos++];
      if (b < 250) return b % 10;
    }
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.below(xs.length)];
  }

  private refill() {
    this.bytes = hash("sha256", this.bytes, "buffer");
    this.pos = 0;
  }
}

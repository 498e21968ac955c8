// HMAC-SHA-256 keyed with the organisation's salt, computed with the key's inner and outer
// pads prepared once (HMAC(K, m) = H(K^opad || H(K^ipad || m))): one-shot crypto.hash over
// reused buffers avoids building an Hmac object per value. Equal to createHmac's output (tested).

import { hash } from "node:crypto";

const BLOCK = 64;

export class KeyedHash {
  private inner: Buffer;
  private outer = Buffer.alloc(BLOCK + 32);

  constructor(key: Buffer) {
    const k = Buffer.alloc(BLOCK);
    (key.length > BLOCK ? hash("sha256", key, "buffer") : key).copy(k);
    this.inner = Buffer.alloc(BLOCK + 1024);
    for (let i = 0; i < BLOCK; i++) {
      this.inner[i] = k[i] ^ 0x36;
      this.outer[i] = k[i] ^ 0x5c;
    }
  }

  /** HMAC-SHA-256(key, utf8(message)): 32 bytes. */
  digest(message: string): Buffer {
    if (message.length * 3 > this.inner.length - BLOCK) {
      const bigger = Buffer.alloc(BLOCK + message.length * 3);
      this.inner.copy(bigger, 0, 0, BLOCK);
      this.inner = bigger;
    }
    const n = this.inner.write(message, BLOCK, "utf8");
    hash("sha256", this.inner.subarray(0, BLOCK + n), "buffer").copy(this.outer, BLOCK);
    return hash("sha256", this.outer, "buffer");
  }

  /** Domain-separated digest: different purposes (fake first name, date shift, ...) give unrelated outputs. */
  derive(purpose: string, message: string): Buffer {
    return this.digest(`${purpose}\u0000${message}`);
  }
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

  pick<T>(xs: readonly T[]): T {
    return xs[this.below(xs.length)];
  }

  private refill() {
    this.bytes = hash("sha256", this.bytes, "buffer");
    this.pos = 0;
  }
}

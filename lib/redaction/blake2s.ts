// BLAKE2s-256 (RFC 7693) in plain JavaScript, keyed mode, for the per-value pseudo-random bytes
// of the redaction rules. Why not node:crypto: for the short values of a column (names,
// emails, phones) the cost of a native call and its Buffer is larger than the hashing itself;
// BLAKE2s works on 32-bit words, which JavaScript does natively, and its keyed mode is a PRF
// (a MAC by design, no length extension). The state after the key block is computed once per
// key, so a short value costs a single compression. Checked against node:crypto's blake2s256
// and the reference keyed test vector.
import { utf8Into } from "./utf8-into";

const IV = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
const SIGMA = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
  [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
  [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
  [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
  [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
  [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
  [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
  [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
  [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
  [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
].flatMap((row) => row);

const m = new Int32Array(16);

/** One compression of the 64-byte block at bytes[offset] into h; t = bytes hashed so far including this block. */
function compress(h: Uint32Array, bytes: Uint8Array, offset: number, t: number, last: boolean) {
  for (let i = 0; i < 16; i++) {
    const o = offset + i * 4;
    m[i] = bytes[o] | (bytes[o + 1] << 8) | (bytes[o + 2] << 16) | (bytes[o + 3] << 24);
  }
  // The 16 working words live in locals (what V8 keeps in registers); G is written out.
  let v0 = h[0] | 0, v1 = h[1] | 0, v2 = h[2] | 0, v3 = h[3] | 0, v4 = h[4] | 0, v5 = h[5] | 0, v6 = h[6] | 0, v7 = h[7] | 0;
  let v8 = IV[0] | 0, v9 = IV[1] | 0, v10 = IV[2] | 0, v11 = IV[3] | 0;
  let v12 = (IV[4] ^ t) | 0, v13 = (IV[5] ^ Math.floor(t / 0x100000000)) | 0;
  let v14 = (last ? ~IV[6] : IV[6]) | 0, v15 = IV[7] | 0;
  for (let s = 0; s < 160; s += 16) {
    // G(0, 4, 8, 12)
    v0 = (v0 + v4 + m[SIGMA[s + 0]]) | 0; v12 ^= v0; v12 = (v12 >>> 16) | (v12 << 16);
    v8 = (v8 + v12) | 0; v4 ^= v8; v4 = (v4 >>> 12) | (v4 << 20);
    v0 = (v0 + v4 + m[SIGMA[s + 1]]) | 0; v12 ^= v0; v12 = (v12 >>> 8) | (v12 << 24);
    v8 = (v8 + v12) | 0; v4 ^= v8; v4 = (v4 >>> 7) | (v4 << 25);
    // G(1, 5, 9, 13)
    v1 = (v1 + v5 + m[SIGMA[s + 2]]) | 0; v13 ^= v1; v13 = (v13 >>> 16) | (v13 << 16);
    v9 = (v9 + v13) | 0; v5 ^= v9; v5 = (v5 >>> 12) | (v5 << 20);
    v1 = (v1 + v5 + m[SIGMA[s + 3]]) | 0; v13 ^= v1; v13 = (v13 >>> 8) | (v13 << 24);
    v9 = (v9 + v13) | 0; v5 ^= v9; v5 = (v5 >>> 7) | (v5 << 25);
    // G(2, 6, 10, 14)
    v2 = (v2 + v6 + m[SIGMA[s + 4]]) | 0; v14 ^= v2; v14 = (v14 >>> 16) | (v14 << 16);
    v10 = (v10 + v14) | 0; v6 ^= v10; v6 = (v6 >>> 12) | (v6 << 20);
    v2 = (v2 + v6 + m[SIGMA[s + 5]]) | 0; v14 ^= v2; v14 = (v14 >>> 8) | (v14 << 24);
    v10 = (v10 + v14) | 0; v6 ^= v10; v6 = (v6 >>> 7) | (v6 << 25);
    // G(3, 7, 11, 15)
    v3 = (v3 + v7 + m[SIGMA[s + 6]]) | 0; v15 ^= v3; v15 = (v15 >>> 16) | (v15 << 16);
    v11 = (v11 + v15) | 0; v7 ^= v11; v7 = (v7 >>> 12) | (v7 << 20);
    v3 = (v3 + v7 + m[SIGMA[s + 7]]) | 0; v15 ^= v3; v15 = (v15 >>> 8) | (v15 << 24);
    v11 = (v11 + v15) | 0; v7 ^= v11; v7 = (v7 >>> 7) | (v7 << 25);
    // G(0, 5, 10, 15)
    v0 = (v0 + v5 + m[SIGMA[s + 8]]) | 0; v15 ^= v0; v15 = (v15 >>> 16) | (v15 << 16);
    v10 = (v10 + v15) | 0; v5 ^= v10; v5 = (v5 >>> 12) | (v5 << 20);
    v0 = (v0 + v5 + m[SIGMA[s + 9]]) | 0; v15 ^= v0; v15 = (v15 >>> 8) | (v15 << 24);
    v10 = (v10 + v15) | 0; v5 ^= v10; v5 = (v5 >>> 7) | (v5 << 25);
    // G(1, 6, 11, 12)
    v1 = (v1 + v6 + m[SIGMA[s + 10]]) | 0; v12 ^= v1; v12 = (v12 >>> 16) | (v12 << 16);
    v11 = (v11 + v12) | 0; v6 ^= v11; v6 = (v6 >>> 12) | (v6 << 20);
    v1 = (v1 + v6 + m[SIGMA[s + 11]]) | 0; v12 ^= v1; v12 = (v12 >>> 8) | (v12 << 24);
    v11 = (v11 + v12) | 0; v6 ^= v11; v6 = (v6 >>> 7) | (v6 << 25);
    // G(2, 7, 8, 13)
    v2 = (v2 + v7 + m[SIGMA[s + 12]]) | 0; v13 ^= v2; v13 = (v13 >>> 16) | (v13 << 16);
    v8 = (v8 + v13) | 0; v7 ^= v8; v7 = (v7 >>> 12) | (v7 << 20);
    v2 = (v2 + v7 + m[SIGMA[s + 13]]) | 0; v13 ^= v2; v13 = (v13 >>> 8) | (v13 << 24);
    v8 = (v8 + v13) | 0; v7 ^= v8; v7 = (v7 >>> 7) | (v7 << 25);
    // G(3, 4, 9, 14)
    v3 = (v3 + v4 + m[SIGMA[s + 14]]) | 0; v14 ^= v3; v14 = (v14 >>> 16) | (v14 << 16);
    v9 = (v9 + v14) | 0; v4 ^= v9; v4 = (v4 >>> 12) | (v4 << 20);
    v3 = (v3 + v4 + m[SIGMA[s + 15]]) | 0; v14 ^= v3; v14 = (v14 >>> 8) | (v14 << 24);
    v9 = (v9 + v14) | 0; v4 ^= v9; v4 = (v4 >>> 7) | (v4 << 25);
  }
  h[0] ^= v0 ^ v8; h[1] ^= v1 ^ v9; h[2] ^= v2 ^ v10; h[3] ^= v3 ^ v11;
  h[4] ^= v4 ^ v12; h[5] ^= v5 ^ v13; h[6] ^= v6 ^ v14; h[7] ^= v7 ^ v15;
}

export class Blake2sKeyed {
  /** State after the key block (keyed mode), or the initial state (unkeyed). */
  private readonly start = new Uint32Array(8);
  private readonly keyBlock: Uint8Array | null;
  private readonly h = new Uint32Array(8);
  private scratch = new Uint8Array(256);

  constructor(key: Uint8Array | null) {
    const keyLength = key?.length ?? 0;
    if (keyLength > 32) throw new Error("BLAKE2s keys are at most 32 bytes.");
    this.start.set(IV);
    this.start[0] ^= 0x01010000 ^ (keyLength << 8) ^ 32;
    this.keyBlock = null;
    if (key && keyLength > 0) {
      const block = new Uint8Array(64);
      block.set(key);
      this.keyBlock = block;
      this.precomputed = new Uint32Array(this.start);
      compress(this.precomputed, block, 0, 64, false);
    }
  }

  private precomputed: Uint32Array | null = null;

  /** BLAKE2s-256 of the UTF-8 bytes of `text`, into `out` (32 bytes at out[offset]). */
  hashText(text: string, out: Uint8Array, offset = 0) {
    if (text.length * 3 + 64 > this.scratch.length) this.scratch = new Uint8Array(text.length * 3 + 64);
    this.hashBytes(this.scratch, utf8Into(text, this.scratch), out, offset);
  }

  /** BLAKE2s-256 of bytes[0, n) (bytes may be overwritten past n with padding). */
  hashBytes(bytes: Uint8Array, n: number, out: Uint8Array, offset = 0) {
    const h = this.h;
    let t = 0;
    if (this.precomputed && n > 0) {
      h.set(this.precomputed);
      t = 64;
    } else {
      h.set(this.start);
      if (this.keyBlock) {
        compress(h, this.keyBlock, 0, 64, true); // keyed hash of the empty message
        return writeOut(h, out, offset);
      }
    }
    let pos = 0;
    while (n - pos > 64) {
      t += 64;
      compress(h, bytes, pos, t, false);
      pos += 64;
    }
    const rest = n - pos;
    if (bytes.length < pos + 64) {
      const copy = new Uint8Array(64);
      copy.set(bytes.subarray(pos, n));
      bytes = copy;
      pos = 0;
    } else bytes.fill(0, n, pos + 64);
    t += rest;
    compress(h, bytes, pos, t, true);
    writeOut(h, out, offset);
  }
}

function writeOut(h: Uint32Array, out: Uint8Array, offset: number) {
  for (let i = 0; i < 8; i++) {
    const w = h[i];
    out[offset + i * 4] = w & 0xff;
    out[offset + i * 4 + 1] = (w >>> 8) & 0xff;
    out[offset + i * 4 + 2] = (w >>> 16) & 0xff;
    out[offset + i * 4 + 3] = w >>> 24;
  }
}

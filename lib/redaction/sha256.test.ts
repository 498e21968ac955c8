import { createHmac, hash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HmacSha256 } from "./sha256";

const hashKey = (k: Uint8Array) => hash("sha256", k, "buffer");
const js = (key: Buffer, m: string) => {
  const out = Buffer.alloc(32);
  new HmacSha256(key, hashKey).digestText(m, out);
  return out.toString("hex");
};
const node = (key: Buffer, m: string) => createHmac("sha256", key).update(m).digest("hex");

describe("HmacSha256", () => {
  it("equals createHmac at every message length around the block and padding boundaries", () => {
    const key = Buffer.from("sha-test-salt");
    const h = new HmacSha256(key, hashKey);
    for (let n = 0; n <= 200; n++) {
      const m = "abcdefghij".repeat(21).slice(0, n);
      const out = Buffer.alloc(32);
      h.digestText(m, out); // one instance reused: the scratch padding of a longer value must not leak
      expect(out.toString("hex"), `length ${n}`).toBe(node(key, m));
    }
  });

  it("equals createHmac for keys of 0, 64 and 65+ bytes (long keys are hashed first) and RFC 4231 case 2", () => {
    for (const key of [Buffer.alloc(0), Buffer.alloc(64, 7), Buffer.alloc(65, 7), Buffer.alloc(131, 0xaa)]) expect(js(key, "Zoë 🦊")).toBe(node(key, "Zoë 🦊"));
    expect(js(Buffer.from("Jefe"), "what do ya want for nothing?")).toBe("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  });

  it("equals createHmac on arbitrary unicode text and keys", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.string({ unit: "binary", maxLength: 150 }), (key, m) => {
        expect(js(Buffer.from(key), m)).toBe(node(Buffer.from(key), m));
      }),
      { numRuns: 500 },
    );
  });

  it("gives the first n hex digits of the HMAC for every n from 1 to 64 (digestHex)", () => {
    const key = Buffer.from("sha-test-salt");
    const h = new HmacSha256(key, hashKey);
    for (const m of ["", "alice", "Zoë 🦊", "x".repeat(130)]) {
      for (let n = 1; n <= 64; n++) expect(h.digestHex(m, n), `${n} digits`).toBe(node(key, m).slice(0, n));
    }
  });

  it("writes at an offset, leaving the rest of the output alone", () => {
    const out = Buffer.alloc(40, 0xee);
    new HmacSha256(Buffer.from("k"), hashKey).digestText("v", out, 4);
    expect(out.subarray(4, 36).toString("hex")).toBe(node(Buffer.from("k"), "v"));
    expect([...out.subarray(0, 4), ...out.subarray(36)]).toEqual(Array(8).fill(0xee));
  });
});

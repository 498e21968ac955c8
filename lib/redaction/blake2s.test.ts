import { hash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Blake2sKeyed } from "./blake2s";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("BLAKE2s", () => {
  it("matches node:crypto's blake2s256 (unkeyed) on random texts of every length class", () => {
    const b = new Blake2sKeyed(null);
    const out = new Uint8Array(32);
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "grapheme", maxLength: 200 }), fc.string({ maxLength: 10 })), (s) => {
        b.hashText(s, out);
        expect(hex(out)).toBe(hash("blake2s256", Buffer.from(s, "utf8"), "hex"));
      }),
      { numRuns: 1000 },
    );
    for (const n of [0, 1, 63, 64, 65, 127, 128, 129, 1000]) {
      const s = "x".repeat(n);
      b.hashText(s, out);
      expect(hex(out)).toBe(hash("blake2s256", s, "hex"));
    }
    b.hashText("abc", out);
    expect(hex(out)).toBe("508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982"); // RFC 7693, appendix B
  });

  it("hashes text as its UTF-8 bytes in keyed mode, on the short ASCII path and the byte path alike", () => {
    const b = new Blake2sKeyed(Uint8Array.from({ length: 32 }, (_, i) => i * 7));
    const viaText = new Uint8Array(32);
    const viaBytes = new Uint8Array(32);
    const texts = [...Array.from({ length: 200 }, (_, n) => "abcdefghij".repeat(20).slice(0, n)), "é", "a".repeat(63) + "é", "Zoë 🦊"];
    for (const s of texts) {
      b.hashText(s, viaText);
      const bytes = Buffer.from(s, "utf8");
      b.hashBytes(Buffer.concat([bytes, Buffer.alloc(64)]), bytes.length, viaBytes);
      expect(hex(viaText), `length ${s.length}`).toBe(hex(viaBytes));
    }
  });

  it("matches the reference keyed test vectors", () => {
    const key = Uint8Array.from({ length: 32 }, (_, i) => i);
    const b = new Blake2sKeyed(key);
    const out = new Uint8Array(32);
    b.hashBytes(new Uint8Array(0), 0, out);
    expect(hex(out)).toBe("48a8997da407876b3d79c0d92325ad3b89cbb754d86ab71aee047ad345fd2c49"); // blake2s-kat.txt, in = ""
    b.hashBytes(Uint8Array.from([0]), 1, out);
    expect(hex(out)).toBe("40d15fee7c328830166ac3f918650f807e7e01e177258cdc0a39b11f598066f1"); // in = 00
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeField, decodeRow, encodeField, encodeRow, LineSplitter } from "./copy-text";

const dec = (s: string) => {
  const b = Buffer.from(s, "utf8");
  return decodeField(b, 0, b.length);
};

describe("decodeField", () => {
  it("reads \\N as NULL and the escaped text \\\\N as the two characters", () => {
    expect(dec("\\N")).toBeNull();
    expect(dec("\\\\N")).toBe("\\N");
    expect(encodeField("\\N")).toBe("\\\\N");
    expect(encodeField(null)).toBe("\\N");
  });

  it("tells the empty string from NULL", () => {
    expect(dec("")).toBe("");
    expect(encodeField("")).toBe("");
  });

  it("unescapes tab, newline, carriage return, backslash and the other letters", () => {
    expect(dec("a\\tb\\nc\\rd\\\\e")).toBe("a\tb\nc\rd\\e");
    expect(dec("\\b\\f\\v")).toBe("\b\f\v");
    expect(dec("\\q\\.")).toBe("q.");
  });

  it("reads octal and hex escapes as bytes and decodes them as UTF-8", () => {
    expect(dec("\\101\\7\\60")).toBe("A\u0007" + "0");
    expect(dec("\\x41\\x4")).toBe("A\u0004");
    expect(dec("\\303\\251t\\xc3\\xa9")).toBe("été");
    expect(dec("\\xg")).toBe("xg");
    expect(dec("\\1012")).toBe("A2");
  });

  it("reads multibyte UTF-8 as is", () => {
    expect(dec("Zoë 🦊 日本")).toBe("Zoë 🦊 日本");
  });

  it("decodes a field in the middle of a buffer", () => {
    const b = Buffer.from("x\ta\\tb\ty");
    expect(decodeField(b, 2, 6)).toBe("a\tb");
  });

  it("keeps a lone trailing backslash", () => {
    expect(dec("ab\\")).toBe("ab\\");
  });

  it("escapes what COPY FROM needs escaped", () => {
    expect(encodeField("a\tb\nc\rd\\e")).toBe("a\\tb\\nc\\rd\\\\e");
    expect(encodeField("plain é")).toBe("plain é");
  });

  it("reads bytea's hex form as its text (\\\\x...)", () => {
    expect(dec("\\\\x00ff")).toBe("\\x00ff");
    expect(encodeField("\\x00ff")).toBe("\\\\x00ff");
  });
});

describe("rows", () => {
  it("decodes and encodes a row with nulls and escapes", () => {
    const row = ["1", null, "", "a\tb", "\\N", "line1\nline2"];
    const encoded = encodeRow(row);
    expect(encoded).toBe("1\t\\N\t\ta\\tb\t\\\\N\tline1\\nline2\n");
    expect(decodeRow(Buffer.from(encoded.slice(0, -1)))).toEqual(row);
  });

  it("encode then decode is the identity on random rows", () => {
    const field = fc.option(fc.string({ unit: "binary", maxLength: 40 }), { nil: null });
    const withSpecials = fc.oneof(field, fc.constantFrom("\\", "\t", "\n", "\r", "\\N", "", "\\x41", "\\101", null));
    fc.assert(
      fc.property(fc.array(withSpecials, { minLength: 1, maxLength: 8 }), (row) => {
        const line = encodeRow(row);
        expect(line.indexOf("\n")).toBe(line.length - 1);
        const decoded = decodeRow(Buffer.from(line.slice(0, -1), "utf8"));
        // Lone surrogates cannot survive UTF-8; compare what UTF-8 can carry.
        const utf8 = (v: string | null) => (v === null ? null : Buffer.from(v, "utf8").toString("utf8"));
        expect(decoded).toEqual(row.map(utf8));
      }),
      { numRuns: 500 },
    );
  });
});

describe("LineSplitter", () => {
  it("returns whole lines at every split point, including inside UTF-8 characters and escapes", () => {
    const text = Buffer.from("1\tZoë\\tX\n2\t🦊\\\\\\N\n3\t\\303\\251\n");
    for (let cut = 0; cut <= text.length; cut++) {
      const s = new LineSplitter();
      const parts = [s.push(text.subarray(0, cut)), s.push(text.subarray(cut)), s.end()].filter((p): p is Buffer => p !== null);
      expect(Buffer.concat(parts).equals(text)).toBe(true);
      for (const p of parts) expect(p[p.length - 1]).toBe(0x0a);
    }
  });

  it("keeps a final line without a newline for end()", () => {
    const s = new LineSplitter();
    expect(s.push(Buffer.from("a\nb"))?.toString()).toBe("a\n");
    expect(s.pendingBytes).toBe(1);
    expect(s.push(Buffer.from("c"))).toBeNull();
    expect(s.end()?.toString()).toBe("bc");
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CopyFormatError } from "./copy-text";
import { mapArrayLiteral, parseArrayLiteral, parseCompositeLiteral, serializeArrayLiteral, serializeCompositeLiteral } from "./copy-text-literals";

describe("array literals", () => {
  it("parses quoting, NULL, the text NULL, empty strings, escapes and nesting", () => {
    expect(parseArrayLiteral('{a,"b c",NULL,"NULL","","q\\"x","back\\\\slash"}').items).toEqual([
      "a", "b c", null, "NULL", "", 'q"x', "back\\slash",
    ]);
    expect(parseArrayLiteral("{{1,2},{3,NULL}}").items).toEqual([["1", "2"], ["3", null]]);
    expect(parseArrayLiteral("{}").items).toEqual([]);
    expect(parseArrayLiteral("[0:1]={x,y}")).toEqual({ decoration: "[0:1]=", items: ["x", "y"] });
  });

  it("serializes as PostgreSQL does", () => {
    expect(serializeArrayLiteral(["a", "b c", null, "NULL", "", 'q"x', "{", "x,y"])).toBe('{a,"b c",NULL,"NULL","","q\\"x","{","x,y"}');
    expect(serializeArrayLiteral([["1"], ["2"]], "[2:3][1:1]=")).toBe("[2:3][1:1]={{1},{2}}");
  });

  it("maps leaves and keeps NULL elements", () => {
    expect(mapArrayLiteral('{a,NULL,"b c"}', (s) => s.toUpperCase())).toBe('{A,NULL,"B C"}');
    expect(mapArrayLiteral("{a,b}", () => null)).toBe("{NULL,NULL}");
    expect(mapArrayLiteral("{(1;2),(3;4)}", (s) => s, ";")).toBe("{(1;2),(3;4)}");
  });

  it("round-trips random nested arrays", () => {
    const leaf = fc.option(fc.string({ unit: "grapheme", maxLength: 12 }), { nil: null });
    const arr = fc.array(leaf, { maxLength: 6 });
    fc.assert(
      fc.property(fc.oneof(arr, fc.array(fc.array(leaf, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 3 })), (items) => {
        const text = serializeArrayLiteral(items);
        expect(parseArrayLiteral(text).items).toEqual(items);
      }),
      { numRuns: 500 },
    );
  });

  it("rejects malformed literals with CopyFormatError", () => {
    for (const bad of ["", "{", '{"a', "{a,}", "a", "{a}x", "[1:2]"]) expect(() => parseArrayLiteral(bad)).toThrow(CopyFormatError);
  });
});

describe("composite literals", () => {
  it("parses NULL (empty), empty string, doubled quotes and backslashes", () => {
    expect(parseCompositeLiteral('(1,,"","a ""b""","c\\\\d",x)')).toEqual(["1", null, "", 'a "b"', "c\\d", "x"]);
    expect(parseCompositeLiteral("()")).toEqual([null]);
  });

  it("round-trips random rows", () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.string({ unit: "grapheme", maxLength: 12 }), { nil: null }), { minLength: 1, maxLength: 6 }), (fields) => {
        expect(parseCompositeLiteral(serializeCompositeLiteral(fields))).toEqual(fields);
      }),
      { numRuns: 500 },
    );
  });
});

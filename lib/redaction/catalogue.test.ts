import { createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FAKE_KINDS, ZRule, type TRule } from "@/lib/schemas/rules";
import { checkRuleFits, compileRule, fakeKindsForColumn, RuleDoesNotFitError, rulesForColumn } from "./catalogue";
import { columnMeta } from "./column-meta";
import { KeyedHash } from "./keyed-hash";

const salt = Buffer.from("catalogue-test-salt");
const rule = (r: unknown) => ZRule.parse(r);

describe("checkRuleFits", () => {
  it("names the column and the problem", () => {
    expect(checkRuleFits(rule({ rule: "fake", kind: "email" }), columnMeta("age", "int4"))).toBe(
      'Column "age" (integer): the fake email rule only fits text columns.',
    );
    expect(checkRuleFits(rule({ rule: "null" }), columnMeta("email", "text", { notNull: true }))).toMatch(/^Column "email" .*NOT NULL/);
  });

  it.each([
    ["null on a NOT NULL column", { rule: "null" }, columnMeta("c", "text", { notNull: true })],
    ["constant on a unique column", { rule: "constant", value: "x" }, columnMeta("c", "text", { unique: true })],
    ["constant longer than varchar(n)", { rule: "constant", value: "toolong" }, columnMeta("c", "varchar(3)")],
    ["constant that is not an integer", { rule: "constant", value: "abc" }, columnMeta("c", "int4")],
    ["constant out of int2 range", { rule: "constant", value: "40000" }, columnMeta("c", "int2")],
    ["fake on uuid", { rule: "fake", kind: "first_name" }, columnMeta("c", "uuid")],
    ["fake on an enum", { rule: "fake", kind: "city" }, columnMeta("c", "mood")],
    ["fake first_name on a unique column", { rule: "fake", kind: "first_name" }, columnMeta("c", "text", { unique: true })],
    ["fake email in varchar(10)", { rule: "fake", kind: "email" }, columnMeta("c", "varchar(10)")],
    ["unique fake email in varchar(20)", { rule: "fake", kind: "email" }, columnMeta("c", "varchar(20)", { unique: true })],
    ["short hash on a unique column", { rule: "hash", length: 8 }, columnMeta("c", "text", { unique: true })],
    ["hash on numeric", { rule: "hash" }, columnMeta("c", "numeric")],
    ["hash on a date", { rule: "hash" }, columnMeta("c", "date")],
    ["mask on integer", { rule: "mask" }, columnMeta("c", "int8")],
    ["mask on a unique column", { rule: "mask" }, columnMeta("c", "text", { unique: true })],
    ["date_shift on text", { rule: "date_shift" }, columnMeta("c", "text")],
    ["date_shift on a unique timestamp", { rule: "date_shift" }, columnMeta("c", "timestamptz", { unique: true })],
    ["numeric_noise on text", { rule: "numeric_noise" }, columnMeta("c", "text")],
    ["numeric_noise on a unique integer", { rule: "numeric_noise" }, columnMeta("c", "int4", { unique: true })],
    ["json_paths on text", { rule: "json_paths", paths: [{ path: "$.a", apply: { rule: "null" } }] }, columnMeta("c", "text")],
    ["json_paths with a bad path", { rule: "json_paths", paths: [{ path: "$..a[", apply: { rule: "null" } }] }, columnMeta("c", "jsonb")],
    ["fake email on int[]", { rule: "fake", kind: "email" }, columnMeta("c", "int4[]")],
  ])("refuses %s", (_name, r, col) => {
    const message = checkRuleFits(rule(r), col);
    expect(message).toMatch(/^Column "c" \(.+\): the .+ rule .+\.$/);
    expect(() => compileRule(rule(r), col, { salt })).toThrow(RuleDoesNotFitError);
  });

  it.each([
    ["hash on uuid", { rule: "hash" }, columnMeta("c", "uuid", { unique: true, notNull: true })],
    ["hash on a unique integer key", { rule: "hash" }, columnMeta("c", "int8", { unique: true, notNull: true })],
    ["hash on bytea", { rule: "hash" }, columnMeta("c", "bytea")],
    ["unique fake email", { rule: "fake", kind: "email" }, columnMeta("c", "varchar(120)", { unique: true })],
    ["fake ip on inet", { rule: "fake", kind: "ip" }, columnMeta("c", "inet", { unique: true })],
    ["fake email on text[]", { rule: "fake", kind: "email" }, columnMeta("c", "text[]")],
    ["date_shift on timestamptz[]", { rule: "date_shift" }, columnMeta("c", "timestamptz[]")],
    ["shuffle on a unique NOT NULL enum", { rule: "shuffle" }, columnMeta("c", "mood", { unique: true, notNull: true })],
    ["constant on an enum", { rule: "constant", value: "happy" }, columnMeta("c", "mood")],
    ["numeric_noise on numeric(8,2)", { rule: "numeric_noise" }, columnMeta("c", "numeric(8,2)")],
  ])("accepts %s", (_name, r, col) => {
    expect(checkRuleFits(rule(r), col)).toBeNull();
  });
});

describe("rulesForColumn", () => {
  it("offers what fits the type and constraints", () => {
    expect(rulesForColumn(columnMeta("c", "text"))).toEqual(["null", "constant", "hash", "fake", "mask", "shuffle", "keep"]);
    expect(rulesForColumn(columnMeta("c", "int4", { notNull: true, unique: true }))).toEqual(["hash", "shuffle", "keep"]);
    expect(rulesForColumn(columnMeta("c", "timestamptz", { notNull: true }))).toEqual(["constant", "date_shift", "shuffle", "keep"]);
    expect(rulesForColumn(columnMeta("c", "jsonb"))).toEqual(["null", "constant", "json_paths", "shuffle", "keep"]);
    expect(fakeKindsForColumn(columnMeta("c", "text", { unique: true }))).toEqual(["username", "email", "ip", "url"].sort((a, b) => FAKE_KINDS.indexOf(a as never) - FAKE_KINDS.indexOf(b as never)));
    expect(fakeKindsForColumn(columnMeta("c", "inet"))).toEqual(["ip"]);
  });
});

describe("KeyedHash", () => {
  it("equals HMAC-SHA-256 for short, long and unicode messages and long keys", () => {
    for (const key of [salt, Buffer.alloc(100, 3)]) {
      const k = new KeyedHash(key);
      for (const m of ["", "a", "Zoë 🦊", "x".repeat(5000)]) {
        expect(k.digest(m).equals(createHmac("sha256", key).update(m).digest())).toBe(true);
      }
    }
  });
});

const TEXT_RULES: TRule[] = [
  ...FAKE_KINDS.map((kind) => rule({ rule: "fake", kind })),
  rule({ rule: "hash" }),
  rule({ rule: "hash", encoding: "base32", length: 20 }),
  rule({ rule: "mask" }),
  rule({ rule: "mask", format: "phone", keepLast: 2 }),
  rule({ rule: "mask", format: "card" }),
  rule({ rule: "mask", format: "ssn", keepLast: 0 }),
];

describe("invariants of text rules", () => {
  it("never return a non-empty input unchanged, keep varchar(n), and are deterministic per salt", () => {
    const cols = [columnMeta("c", "text"), columnMeta("c", "varchar(40)"), columnMeta("c", "varchar(24)")];
    const inputs = fc.oneof(
      fc.string({ unit: "grapheme", minLength: 1, maxLength: 30 }),
      fc.constantFrom("a", "1", "*", "****", "+1 555 0100", "4111 1111 1111 1111", "123-45-6789", "Olivia", "SW1A 1AA"),
    );
    for (const r of TEXT_RULES) {
      for (const col of cols) {
        if (checkRuleFits(r, col) !== null) continue;
        const f = compileRule(r, col, { salt });
        const again = compileRule(r, col, { salt });
        const other = compileRule(r, col, { salt: Buffer.from("another-salt") });
        fc.assert(
          fc.property(inputs, (v) => {
            if (col.maxLength !== null && [...v].length > col.maxLength) return;
            const out = f(v);
            expect(out, `${JSON.stringify(r)} on ${col.typeName}`).not.toBe(v);
            expect(out).not.toBeNull();
            if (col.maxLength !== null) expect([...(out as string)].length).toBeLessThanOrEqual(col.maxLength);
            expect(again(v)).toBe(out);
            if (r.rule !== "mask" || r.format !== "keep_last") expect(other(v) === out && v.length > 3 && r.rule === "hash").toBe(false);
          }),
          { numRuns: 150 },
        );
      }
    }
  });

  it("apply element-wise to arrays and keep NULL elements", () => {
    const f = compileRule(rule({ rule: "fake", kind: "email" }), columnMeta("c", "varchar(100)[]"), { salt });
    const single = compileRule(rule({ rule: "fake", kind: "email" }), columnMeta("c", "text"), { salt });
    expect(f('{a@x.io,NULL,"b c@y.io"}')).toBe(`{${single("a@x.io")},NULL,${single("b c@y.io")}}`);
    expect(compileRule(rule({ rule: "null" }), columnMeta("c", "text[]"), { salt })("{a}")).toBeNull();
  });
});

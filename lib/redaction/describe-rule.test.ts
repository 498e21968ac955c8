import { describe, expect, it } from "vitest";
import { FAKE_KINDS, ZRule, type TRule } from "../schemas/rules";
import { RULE_CATALOGUE } from "./catalogue";
import { describeRule, ruleNameLabel } from "./describe-rule";

const rule = (r: unknown) => ZRule.parse(r);

describe("describeRule", () => {
  it("says what a rule does with its options, in words", () => {
    expect(describeRule(rule({ rule: "fake", kind: "email" }))).toBe("Fake email");
    expect(describeRule(rule({ rule: "fake", kind: "ip" }))).toBe("Fake IP address");
    expect(describeRule(rule({ rule: "date_shift", maxDays: 30 }))).toBe("Shift dates by up to 30 days");
    expect(describeRule(rule({ rule: "date_shift", maxDays: 1 }))).toBe("Shift dates by up to 1 day");
    expect(describeRule(rule({ rule: "mask" }))).toBe("Mask, keep last 4");
    expect(describeRule(rule({ rule: "mask", keepLast: 0 }))).toBe("Mask every character");
    expect(describeRule(rule({ rule: "mask", format: "phone", keepLast: 2 }))).toBe("Mask phone number, keep its format and last 2");
    expect(describeRule(rule({ rule: "numeric_noise", percent: 5 }))).toBe("Add noise, up to ±5 %");
    expect(describeRule(rule({ rule: "hash" }))).toBe("Hash");
    expect(describeRule(rule({ rule: "hash", length: 24, encoding: "base32" }))).toBe("Hash, 24 base32 characters on text");
    expect(describeRule(rule({ rule: "constant", value: "" }))).toBe("Fixed value (empty text)");
    expect(describeRule(rule({ rule: "constant", value: "n/a" }))).toBe("Fixed value “n/a”");
    expect(describeRule(rule({ rule: "keep" }))).toBe("Keep as is");
    expect(describeRule(rule({ rule: "null" }))).toBe("Empty (NULL)");
    expect(describeRule(rule({ rule: "json_paths", paths: [{ path: "$.email", apply: { rule: "fake", kind: "email" } }, { path: "$.born", apply: { rule: "date_shift" } }] })))
      .toBe("Rules inside JSON ($.email: Fake email; $.born: Shift dates by up to 30 days)");
  });

  it("never falls back to a rule id: every rule and fake kind has words", () => {
    const examples: TRule[] = [...Object.values(RULE_CATALOGUE).flatMap((e) => e.examples as TRule[]), ...FAKE_KINDS.map((kind) => ({ rule: "fake" as const, kind }))];
    for (const r of examples) {
      const words = describeRule(r);
      expect(words, JSON.stringify(r)).toMatch(/^[A-Z]/);
      expect(words).not.toContain("_");
      expect(words).not.toBe(r.rule);
    }
    expect(ruleNameLabel("date_shift")).toBe("Shift dates");
    expect(ruleNameLabel("unknown_rule")).toBe("unknown_rule");
  });
});

import { describe, expect, it } from "vitest";
import type { TCustomizationParam } from "../../../schemas/workflow";
import { checkCustomization, checkValue, detectParams } from "./check-customization";

const p = (type: TCustomizationParam["type"], label = "Value"): TCustomizationParam => ({ name: "v", label, type });

describe("checkCustomization", () => {
  it("accepts a statement whose parameters are exactly the declared ones", () => {
    expect(checkCustomization({ statement: "UPDATE companies SET name = %(company)s, logo_url = :logo WHERE id = 1", params: [{ name: "company", label: "C", type: "text" }, { name: "logo", label: "L", type: "url" }] })).toBeNull();
  });

  it("names undeclared and unused parameters, and parser errors, at the right field", () => {
    expect(checkCustomization({ statement: "UPDATE t SET a = %(x)s", params: [] })).toEqual({ statement: [expect.stringContaining("%(x)s")] });
    expect(checkCustomization({ statement: "UPDATE t SET a = 1", params: [{ name: "x", label: "X", type: "text" }] })).toEqual({ params: ["x is declared but not used in the statement."] });
    expect(checkCustomization({ statement: "UPDATE t SET a = 1; UPDATE t SET a = 2", params: [] })?.statement?.[0]).toMatch(/Only one SQL statement/);
  });

  it("ignores placeholders inside literals, quoted identifiers and casts", () => {
    expect(detectParams(`UPDATE t SET a = '%(no)s', "b:c" = %(yes)s::text WHERE d = $$:no$$`)).toEqual(["yes"]);
    expect(detectParams("UPDATE t SET a = 'unclosed")).toEqual([]);
  });
});

describe("checkValue (the engine's coercion decides)", () => {
  it.each([
    ["number", "42.5", null],
    ["number", "forty", /not a number/],
    ["url", "https://acme.example/logo.png", null],
    ["url", "javascript:alert(1)", /http\(s\) URL/],
    ["date", "2026-12-01", null],
    ["date", "01/12/2026", /date/],
    ["text", "Acme Corp", null],
    ["text", "   ", /Enter value/],
  ] as const)("%s %j", (type, value, expected) => {
    const r = checkValue(p(type), value);
    if (expected === null) expect(r).toBeNull();
    else expect(r).toMatch(expected);
  });

  it("booleans must be real booleans from the checkbox", () => {
    expect(checkValue(p("boolean"), true)).toBeNull();
    expect(checkValue(p("boolean"), "yes")).toBe("Choose yes or no.");
  });
});

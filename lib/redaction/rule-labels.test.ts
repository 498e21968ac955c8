import { describe, expect, it } from "vitest";
import { ruleLabel } from "./rule-labels";

describe("ruleLabel", () => {
  it("puts rules in words, with the kind a person recognises", () => {
    expect(ruleLabel({ rule: "fake", kind: "email" })).toBe("Fake email");
    expect(ruleLabel({ rule: "fake", kind: "postal_code" })).toBe("Fake postal code");
    expect(ruleLabel({ rule: "date_shift", maxDays: 30 })).toBe("Shift dates");
    expect(ruleLabel({ rule: "mask", format: "phone", keepLast: 4, maskChar: "*" })).toBe("Mask phone number");
    expect(ruleLabel({ rule: "keep" })).toBe("Keep as is");
  });
});

import { describe, expect, it } from "vitest";
import { confidenceWords, describeFinding } from "./describe-finding";
import { PII_CATEGORIES, PII_CATEGORY_INFO } from "./types";

describe("describeFinding", () => {
  it("says the category and the evidence in plain words", () => {
    expect(describeFinding({ category: "email", confidence: 0.99, matches: 200, sampled: 200 })).toBe("looks like email addresses, 200 of 200 samples");
    expect(describeFinding({ category: "birth_date", confidence: 0.6, matches: 0, sampled: 40 })).toBe("looks like birth dates, by its name (none of 40 samples match)");
    expect(describeFinding({ category: "phone", confidence: 0.5, matches: 0, sampled: 0 })).toBe("looks like phone or fax numbers, by its name (no values to sample)");
    expect(describeFinding({ category: "city", confidence: 0.5, matches: 1, sampled: 1 })).toBe("looks like cities or counties, 1 of 1 sample");
  });

  it("every category has a plural phrase without ids, and confidence has words", () => {
    for (const c of PII_CATEGORIES) expect(PII_CATEGORY_INFO[c].plural, c).toMatch(/^[A-Za-z][a-zA-Z ]+$/);
    expect([0.95, 0.8, 0.79, 0.5, 0.49].map(confidenceWords)).toEqual(["very likely", "very likely", "likely", "likely", "possibly"]);
  });
});

import { describe, expect, it } from "vitest";
import { checkMethodFor, valuesFallbackFor } from "./privacy-check";

describe("checkMethodFor", () => {
  it("checks value sets only where outputs cannot look like real values", () => {
    expect(checkMethodFor({ rule: "hash", length: 16, encoding: "hex" }, "text").method).toBe("values");
    expect(checkMethodFor({ rule: "mask", format: "keep_last", keepLast: 4, maskChar: "*" }, "text").method).toBe("values");
    expect(checkMethodFor({ rule: "null" }, "text").method).toBe("values");
  });

  it("checks rows where outputs come from the domain of real values", () => {
    expect(checkMethodFor({ rule: "mask", format: "phone", keepLast: 2, maskChar: "*" }, "text").method).toBe("rows");
    expect(checkMethodFor({ rule: "fake", kind: "first_name" }, "text").method).toBe("rows");
    expect(checkMethodFor({ rule: "hash", length: 16, encoding: "hex" }, "int8").method).toBe("rows");
    expect(checkMethodFor({ rule: "date_shift", maxDays: 5 }, "date").method).toBe("rows");
  });

  it("does not check shuffled columns, and says why", () => {
    expect(checkMethodFor({ rule: "shuffle" }, "text")).toEqual({ method: null, reason: expect.stringMatching(/shuffle/) });
  });
});

describe("valuesFallbackFor (rows rules on a table without a key)", () => {
  it("falls back to the value check only where outputs cannot equal real values", () => {
    expect(valuesFallbackFor({ rule: "hash", length: 16, encoding: "hex" }, "int8")).toBe(true);
    expect(valuesFallbackFor({ rule: "hash", length: 16, encoding: "hex" }, "int4")).toBe(false);
    expect(valuesFallbackFor({ rule: "fake", kind: "email" }, "text")).toBe(true);
    expect(valuesFallbackFor({ rule: "fake", kind: "first_name" }, "text")).toBe(false);
    expect(valuesFallbackFor({ rule: "mask", format: "ssn", keepLast: 4, maskChar: "*" }, "text")).toBe(false);
    expect(valuesFallbackFor({ rule: "date_shift", maxDays: 5 }, "date")).toBe(false);
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { redactionThreads } from "./copy-table";
import type { CopyUnit } from "./plan";

const unit = (rows: number | null, ruled = true) =>
  ({ rules: ruled ? { email: { rule: "fake", kind: "email" } } : {}, table: { schema: "public", name: "t", rowsEstimate: rows } }) as unknown as CopyUnit;

describe("redactionThreads", () => {
  afterEach(() => {
    delete process.env.DOPPEL_REDACT_THREADS;
  });

  it("gives a large redacted table the cores the run's parallel copies leave, at most 4", () => {
    expect(redactionThreads(unit(2_000_000), 2, 2)).toBe(1); // this machine: both cores already copy
    expect(redactionThreads(unit(2_000_000), 2, 4)).toBe(2);
    expect(redactionThreads(unit(2_000_000), 2, 6)).toBe(3);
    expect(redactionThreads(unit(2_000_000), 2, 32)).toBe(4);
    expect(redactionThreads(unit(2_000_000), 1, 3)).toBe(3);
  });

  it("keeps small tables, tables without rules and unknown sizes on the main thread", () => {
    expect(redactionThreads(unit(150_000), 2, 16)).toBe(1);
    expect(redactionThreads(unit(null), 2, 16)).toBe(1);
    expect(redactionThreads(unit(2_000_000, false), 2, 16)).toBe(1);
  });

  it("takes DOPPEL_REDACT_THREADS when it is a whole number from 1", () => {
    process.env.DOPPEL_REDACT_THREADS = "2";
    expect(redactionThreads(unit(10), 2, 2)).toBe(2);
    process.env.DOPPEL_REDACT_THREADS = "9";
    expect(redactionThreads(unit(10), 2, 2)).toBe(4);
    process.env.DOPPEL_REDACT_THREADS = "lots";
    expect(redactionThreads(unit(10), 2, 2)).toBe(1);
  });
});

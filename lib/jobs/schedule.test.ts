import { describe, expect, it } from "vitest";
import { latestTick, nextRuns, validateCron } from "./schedule";

describe("validateCron", () => {
  it("accepts five- and six-field expressions and normalises spaces", () => {
    expect(validateCron(" 0  3 * * * ")).toEqual({ ok: true, cron: "0 3 * * *" });
    expect(validateCron("*/5 * * * * *")).toMatchObject({ ok: true });
  });

  it("rejects nonsense with a message that shows the format", () => {
    for (const bad of ["", "every day", "61 * * * *", "* * * *", "0 3 * * * * * *"]) {
      const r = validateCron(bad);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toMatch(/cron/);
    }
  });
});

describe("nextRuns / latestTick", () => {
  it("computes in UTC", () => {
    const from = new Date("2026-03-28T23:30:00Z");
    expect(nextRuns("0 3 * * *", 3, from).map((d) => d.toISOString())).toEqual([
      "2026-03-29T03:00:00.000Z",
      "2026-03-30T03:00:00.000Z",
      "2026-03-31T03:00:00.000Z",
    ]);
  });

  it("includes a tick exactly at now and otherwise the previous one", () => {
    expect(latestTick("0 * * * *", new Date("2026-01-01T10:00:00Z"))?.toISOString()).toBe("2026-01-01T10:00:00.000Z");
    expect(latestTick("0 * * * *", new Date("2026-01-01T10:59:59Z"))?.toISOString()).toBe("2026-01-01T10:00:00.000Z");
    expect(latestTick("* * * * * *", new Date("2026-01-01T10:00:05.400Z"))?.toISOString()).toBe("2026-01-01T10:00:05.000Z");
  });
});

import { describe, expect, it } from "vitest";
import { exactUtc, relativeTo } from "./dates";

const now = Date.parse("2026-12-01T12:00:00Z");

describe("relativeTo / exactUtc", () => {
  it("says how long ago or how soon, in words", () => {
    expect(relativeTo(new Date(now - 10_000), now)).toBe("just now");
    expect(relativeTo(new Date(now - 3 * 60_000), now)).toBe("3 minutes ago");
    expect(relativeTo(new Date(now - 2 * 3600_000), now)).toBe("2 hours ago");
    expect(relativeTo(new Date(now - 26 * 3600_000), now)).toBe("yesterday");
    expect(relativeTo(new Date(now + 2 * 3600_000), now)).toBe("in 2 hours");
    expect(relativeTo(new Date(now - 400 * 24 * 3600_000), now)).toBe("last year");
  });

  it("gives the exact time in UTC, to the second", () => {
    expect(exactUtc(new Date("2026-12-01T09:05:07.123+02:00"))).toBe("2026-12-01 07:05:07 UTC");
  });
});

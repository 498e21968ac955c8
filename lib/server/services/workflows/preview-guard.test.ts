import { describe, expect, it } from "vitest";
import { givesAwayOriginal } from "./preview-guard";

describe("givesAwayOriginal", () => {
  it("withholds an after that is, contains or nearly is the original", () => {
    expect(givesAwayOriginal("wren.parker@example.test", "wren.parker@example.test")).toBe(true); // mask keepLast:16 on a short value, json_paths missing path
    expect(givesAwayOriginal("Wren Parker", "x-wren parker-y")).toBe(true);
    expect(givesAwayOriginal("wren.parker@example.test", "********rker@example.test")).toBe(true); // mask keeping 16 of 24
    expect(givesAwayOriginal("12.50", "12.5012")).toBe(true); // numeric noise 0.0001
    expect(givesAwayOriginal("1000000", "1000001")).toBe(true);
    expect(givesAwayOriginal("2026-11-20 10:00:00+00", "2026-11-21 10:00:00+00")).toBe(true); // date shift of a day
    expect(givesAwayOriginal("2026-11-20", "2026-11-18")).toBe(true);
    expect(givesAwayOriginal('{"name":"Wren Parker","plan":"pro","since":2019}', '{"name":"Wren Parker","plan":"pro","since":2019}')).toBe(true);
    expect(givesAwayOriginal("Sage Quinn", "Sage Quinm")).toBe(true);
  });

  it("shows what a working rule makes of a value", () => {
    expect(givesAwayOriginal("wren.parker@example.test", "lena.fox@mail.test")).toBe(false); // fake
    expect(givesAwayOriginal("+1 555 010 1234", "+* *** *** 1234")).toBe(false); // mask keepLast 4
    expect(givesAwayOriginal("4111 1111 1111 1234", "**** **** **** 1234")).toBe(false);
    expect(givesAwayOriginal("12.50", "13.41")).toBe(false); // 7 % noise
    expect(givesAwayOriginal("2026-11-20 10:00:00+00", "2026-10-02 10:00:00+00")).toBe(false); // 49-day shift keeps the time of day
    expect(givesAwayOriginal("Wren Parker", "(redacted)")).toBe(false);
    expect(givesAwayOriginal("Wren Parker", null)).toBe(false);
    expect(givesAwayOriginal("Wren Parker", "9f86d081884c7d65")).toBe(false); // hash
  });

  it("stays cheap on long values", () => {
    const long = "x".repeat(50_000);
    expect(givesAwayOriginal(long, `${long}!`)).toBe(true);
    expect(givesAwayOriginal(long, "y".repeat(50_000))).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import type { Key } from "./copy-out-keys";
import { goneFrom, missingRanges, probeRanges } from "./delta-keys";

// Arrays of keys as the copy gives them (one per chunk).
const batches = (keys: Key[], size: number): AsyncIterator<Key[]> & { ended: () => boolean } => {
  let i = 0;
  return {
    next: async () => {
      if (i >= keys.length) return { done: true, value: undefined };
      const value = keys.slice(i, i + size);
      i += size;
      return { done: false, value };
    },
    ended: () => i >= keys.length,
  };
};

describe("goneFrom", () => {
  it("finds the twin keys the source lacks, across batches, negative and beyond 2^53", async () => {
    const big = 2n ** 62n;
    const source = [-5, 1, 2, 4, 7, 9, 10, big, big + 2n];
    const twin = [-7, -5, 1, 3, 4, 8, 9, 11, big, big + 1n];
    for (const [a, b] of [[1, 1], [2, 3], [4, 100]]) {
      expect(await goneFrom(batches(source, a), batches(twin, b))).toEqual(["-7", "3", "8", "11", String(big + 1n)]);
    }
  });

  it("reads the whole source even when the twin is empty, and returns every twin key when the source is", async () => {
    const src = batches([1, 2, 3], 1);
    expect(await goneFrom(src, batches([], 1))).toEqual([]);
    expect(src.ended()).toBe(true);
    expect(await goneFrom(batches([], 1), batches([5, 6], 1))).toEqual(["5", "6"]);
  });
});

describe("missingRanges", () => {
  const INT4: [bigint, bigint] = [-(2n ** 31n), 2n ** 31n - 1n];
  const INT8: [bigint, bigint] = [-(2n ** 63n), 2n ** 63n - 1n];
  const ranges = async (keys: Key[], bounds: [bigint, bigint], size = 2) => {
    const r = await missingRanges(batches(keys, size), bounds);
    return r.lo.map((lo, i) => `${lo}..${r.hi[i]}`);
  };

  it("covers exactly the integers of the type the keys leave out (so the twin rows in them are the ones to delete)", async () => {
    expect(await ranges([1, 2, 4, 7, 8], INT4)).toEqual(["-2147483648..0", "3..3", "5..6", "9..2147483647"]);
    expect(await ranges([-2147483648, 0, 2147483647], INT4, 1)).toEqual(["-2147483647..-1", "1..2147483646"]);
    expect(await ranges([], INT4)).toEqual(["-2147483648..2147483647"]);
    // Keys beyond 2^53 come as BigInts, next to plain numbers.
    expect(await ranges([999999999999999, 1000000000000001n, 2n ** 63n - 1n], INT8)).toEqual([
      "-9223372036854775808..999999999999998", "1000000000000000..1000000000000000", "1000000000000002..9223372036854775806",
    ]);
  });

  it("refuses keys out of order (a delete must never be computed from them)", async () => {
    await expect(ranges([1, 3, 2], INT4)).rejects.toThrow(/ascending/);
    await expect(ranges([1, 1], INT4)).rejects.toThrow(/ascending/);
  });
});

describe("probeRanges", () => {
  it("probes when the key range holds few more integers than the rows, and reads the twin's keys otherwise", () => {
    expect(probeRanges({ min: "1", max: "2005000" }, 2_000_000)).toBe(true);
    expect(probeRanges({ min: "1", max: "2100000" }, 2_000_000)).toBe(false);
    expect(probeRanges({ min: "10", max: "20000000" }, 2_000_000)).toBe(false);
    expect(probeRanges({ min: null, max: null }, 0)).toBe(true);
    expect(probeRanges({ min: "1", max: "100" }, null)).toBe(false);
    expect(probeRanges({ min: "-9223372036854775808", max: "9223372036854775807" }, 2)).toBe(false);
  });
});

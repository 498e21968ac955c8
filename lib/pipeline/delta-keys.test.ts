import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { goneFrom, keyBatches } from "./delta-keys";

// COPY text of ascending keys, cut into chunks at the given offsets (mid-number included).
const copyText = (keys: (number | bigint)[], cuts: number[]) => {
  const text = keys.map((k) => `${k}\n`).join("");
  const at = [0, ...cuts, text.length];
  return Readable.from(at.slice(1).map((end, i) => Buffer.from(text.slice(at[i], end), "latin1")));
};

describe("goneFrom", () => {
  it("finds the twin keys the source lacks, across chunk boundaries, negative and beyond 2^53", async () => {
    const big = 2n ** 62n;
    const source = [-5, 1, 2, 4, 7, 9, 10, big, big + 2n];
    const twin = [-7, -5, 1, 3, 4, 8, 9, 11, big, big + 1n];
    const gone = await goneFrom(keyBatches(copyText(source, [1, 4, 9, 20])), keyBatches(copyText(twin, [2, 3, 17])));
    expect(gone).toEqual(["-7", "3", "8", "11", String(big + 1n)]);
  });

  it("reads the whole source even when the twin is empty, and returns every twin key when the source is", async () => {
    const src = copyText([1, 2, 3], [3]);
    expect(await goneFrom(keyBatches(src), keyBatches(copyText([], [])))).toEqual([]);
    expect(src.readableEnded).toBe(true);
    expect(await goneFrom(keyBatches(copyText([], [])), keyBatches(copyText([5, 6], [1])))).toEqual(["5", "6"]);
  });
});

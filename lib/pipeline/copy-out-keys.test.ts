import { describe, expect, it } from "vitest";
import { CopyOutKeyParser, type Key } from "./copy-out-keys";

// What a server sends for `COPY (SELECT k ...) TO STDOUT`: CopyOutResponse, one CopyData per row
// (a notice in between), CopyDone, then pg's own CommandComplete and ReadyForQuery.
const message = (code: string, body: Buffer) => {
  const head = Buffer.alloc(5);
  head[0] = code.charCodeAt(0);
  head.writeUInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
};
const PG_TAIL = Buffer.concat([message("C", Buffer.from("COPY 3\0")), message("Z", Buffer.from("I"))]);
const copyOut = (keys: Key[]) => Buffer.concat([
  message("H", Buffer.from([0, 0, 1, 0, 0])),
  ...keys.flatMap((k, i) => [message("d", Buffer.from(`${k}\n`, "latin1")), ...(i === 1 ? [message("N", Buffer.from("SNOTICE\0\0"))] : [])]),
  message("c", Buffer.alloc(0)),
  PG_TAIL,
]);

/** Feeds `bytes` to a parser in chunks cut at `cuts`; returns the keys and the bytes handed back to pg. */
function parseInChunks(bytes: Buffer, cuts: number[]): { keys: Key[]; rest: Buffer; ended: number | null } {
  const p = new CopyOutKeyParser();
  const keys: Key[] = [];
  const at = [0, ...cuts.filter((c) => c > 0 && c < bytes.length), bytes.length];
  for (let i = 1; i < at.length; i++) {
    const chunk = bytes.subarray(at[i - 1], at[i]);
    const end = p.parse(chunk, keys);
    if (end >= 0) return { keys, rest: Buffer.concat([chunk.subarray(end), bytes.subarray(at[i])]), ended: p.ended };
  }
  return { keys, rest: Buffer.alloc(0), ended: p.ended };
}

describe("CopyOutKeyParser", () => {
  const keys: Key[] = [-5, 0, 7, 123456789012345, 2n ** 62n + 1n, -(2n ** 62n)];
  const bytes = copyOut(keys);

  it("reads the keys exactly (negative, beyond 2^53) wherever the chunks are cut, and hands pg what follows CopyDone", () => {
    for (let cut = 1; cut < bytes.length; cut++) {
      const r = parseInChunks(bytes, [cut, cut + 3]);
      expect(r.keys, `cut at ${cut}`).toEqual(keys);
      expect(r.ended).toBe(0x63);
      expect(r.rest.equals(PG_TAIL), `cut at ${cut}`).toBe(true);
    }
  });

  it("stops at an ErrorResponse and hands it to pg, with the keys before it", () => {
    const error = message("E", Buffer.from("SERROR\0C42501\0Mpermission denied\0\0"));
    const failing = Buffer.concat([message("H", Buffer.from([0, 0, 1, 0, 0])), message("d", Buffer.from("1\n")), error, message("Z", Buffer.from("I"))]);
    for (const cut of [3, 12, 20]) {
      const r = parseInChunks(failing, [cut]);
      expect(r.keys).toEqual([1]);
      expect(r.ended).toBe(0x45);
      expect(r.rest.subarray(0, error.length).equals(error)).toBe(true);
    }
    expect(parseInChunks(Buffer.concat([error, message("Z", Buffer.from("I"))]), []).keys).toEqual([]);
  });

  it("refuses a row that is not one integer", () => {
    expect(() => parseInChunks(copyOut(["1\t2" as unknown as Key]), [])).toThrow(/one integer per row/);
    expect(() => parseInChunks(copyOut(["\\N" as unknown as Key]), [])).toThrow(/one integer per row/);
  });
});

import { Readable } from "node:stream";
import { text } from "node:stream/consumers";
import { describe, expect, it } from "vitest";
import { createCopyToCsv } from "./copy-to-csv";

describe("createCopyToCsv", () => {
  it("writes a header and RFC 4180 rows; NULL is empty, the empty string is quoted", async () => {
    const seen: (string | null)[][] = [];
    const csv = createCopyToCsv(["id", "note"], (r) => seen.push(r));
    // Rows split across chunks in the middle of an escape and of a UTF-8 character.
    const input = Buffer.from('1\ta,b\\t"q"\\nx\n2\t\\N\n3\t\nä\tZoë\n');
    const chunks = [input.subarray(0, 9), input.subarray(9, 27), input.subarray(27, 30), input.subarray(30)];
    const out = await text(Readable.from(chunks).pipe(csv));
    expect(out).toBe('id,note\r\n1,"a,b\t""q""\nx"\r\n2,\r\n3,""\r\nä,Zoë\r\n');
    expect(seen[1]).toEqual(["2", null]);
    expect(csv.rows()).toBe(4);
  });

  it("writes only the header for an empty table", async () => {
    expect(await text(Readable.from([]).pipe(createCopyToCsv(["a"])))).toBe("a\r\n");
  });
});

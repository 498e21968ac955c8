import { Readable } from "node:stream";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { TRule } from "@/lib/schemas/rules";
import { columnMeta, type ColumnMeta } from "@/lib/redaction/column-meta";
import { encodeRow } from "./copy-text";
import { BATCH_BYTES, createParallelRedactTransform, redactionPoolSize, type RedactStream } from "./parallel-redact-transform";
import { createRedactTransform } from "./redact-transform";

const salt = Buffer.from("parallel-test-salt");

async function run(t: RedactStream, chunks: Buffer[]) {
  const out: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    t.on("data", (d: Buffer) => out.push(d));
    t.on("end", resolve);
    t.on("error", reject);
  });
  for (const c of chunks) t.write(c);
  t.end();
  await done;
  return { output: Buffer.concat(out), stats: t.stats() };
}

const columns: ColumnMeta[] = [
  columnMeta("id", "int8", { notNull: true, unique: true }),
  columnMeta("first_name", "text"),
  columnMeta("last_name", "text"),
  columnMeta("email", "text", { unique: true }),
  columnMeta("phone", "text"),
  columnMeta("ssn", "text"),
  columnMeta("born", "date"),
  columnMeta("notes", "text"),
];
const rules: Record<string, TRule> = {
  first_name: { rule: "fake", kind: "first_name" },
  last_name: { rule: "fake", kind: "last_name" },
  email: { rule: "fake", kind: "email" },
  phone: { rule: "mask", format: "phone", keepLast: 2, maskChar: "*" },
  ssn: { rule: "hash", length: 16, encoding: "hex" },
  born: { rule: "date_shift", maxDays: 30 },
  notes: { rule: "null" },
};
const row = (i: number, born = `19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}`) =>
  encodeRow([
    String(i), ["Zoë", "Bob", "日本"][i % 3], `Last${i % 70}`, `person.${i}@corp.example`, i % 10 === 0 ? null : `(415) 555-${String(i % 10000).padStart(4, "0")}`,
    `${100 + (i % 800)}-45-${1000 + i}`, born, i % 7 === 0 ? `tab\there\\ ${i}` : `note ${i}`,
  ]);
const rowsText = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => row(i + 1)).join(""));
const cut = (buf: Buffer, sizes: number[]) => {
  const chunks: Buffer[] = [];
  for (let i = 0, k = 0; i < buf.length; k++) {
    const n = sizes[k % sizes.length];
    chunks.push(buf.subarray(i, i + n));
    i += n;
  }
  return chunks;
};

describe("createParallelRedactTransform", () => {
  it("gives the single-threaded transform's output byte for byte, in order, for any chunking and thread count", async () => {
    // ~0.9 MB: several batches per worker; the last row has no newline.
    const input = Buffer.concat([rowsText(8000), Buffer.from(row(8001).trimEnd())]);
    const expected = await run(createRedactTransform({ columns, rules, salt }), [input]);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 200_000 }), { minLength: 1, maxLength: 5 }), fc.integer({ min: 2, max: 4 }), async (sizes, threads) => {
        const got = await run(createParallelRedactTransform({ columns, rules, salt, threads }), cut(input, sizes));
        expect(got.output.equals(expected.output)).toBe(true);
        expect(got.stats).toEqual(expected.stats);
      }),
      { numRuns: 3 },
    );
  }, 120_000); // each run starts its workers (tsx compiles them): seconds on a busy 2-core machine

  it("names the same row in its errors as one thread would, past the first batch", async () => {
    const rows = 5000; // about two batches
    const bad = Buffer.concat([rowsText(rows), Buffer.from(row(rows + 1, "not a date")), rowsText(100)]);
    const short = Buffer.concat([rowsText(rows), Buffer.from("1\tonly two fields\n")]);
    for (const input of [bad, short]) {
      const one = await run(createRedactTransform({ columns, rules, salt }), [input]).catch((e: Error) => e);
      const two = await run(createParallelRedactTransform({ columns, rules, salt, threads: 2 }), cut(input, [65_536])).catch((e: Error) => e);
      expect(one).toBeInstanceOf(Error);
      expect((one as Error).message).toContain(`ow ${rows + 1}`);
      expect(two).toBeInstanceOf(Error);
      expect([(two as Error).name, (two as Error).message]).toEqual([(one as Error).name, (one as Error).message]);
    }
  });

  it("keeps its threads warm between streams, and stops the threads of a stream that failed", async () => {
    const input = rowsText(3000);
    const before = redactionPoolSize();
    const first = await run(createParallelRedactTransform({ columns, rules, salt, threads: 2 }), cut(input, [65_536]));
    const after = redactionPoolSize();
    expect(after.busy).toBe(0);
    expect(after.idle).toBe(Math.max(2, before.idle));
    // The second stream takes the same two threads instead of starting two more.
    const second = await run(createParallelRedactTransform({ columns, rules, salt, threads: 2 }), cut(input, [65_536]));
    expect(redactionPoolSize()).toEqual(after);
    expect(second.output.equals(first.output)).toBe(true);
    const bad = Buffer.concat([input, Buffer.from("1\tonly two fields\n")]);
    await expect(run(createParallelRedactTransform({ columns, rules, salt, threads: 2 }), cut(bad, [65_536]))).rejects.toThrow(/Row 3001 has 2 fields/);
    expect(redactionPoolSize().idle).toBe(after.idle - 2);
  });

  it("holds its input while the output is not read (memory stays bounded)", async () => {
    // Rules that keep each field's length, so bytes in and bytes out can be compared.
    const cols = [columnMeta("id", "int4"), columnMeta("phone", "text"), columnMeta("code", "text")];
    const r: Record<string, TRule> = { phone: { rule: "mask", format: "phone", keepLast: 2, maskChar: "*" }, code: { rule: "hash", length: 16, encoding: "hex" } };
    const line = (i: number) => `${String(i).padStart(8, "0")}\t(415) 555-${String(i % 10000).padStart(4, "0")}\t${String(i).padStart(16, "0")}\n`;
    const total = 800_000; // ~34 MB
    const source = Readable.from((function* () {
      for (let i = 0; i < total; i += 2000) yield Buffer.from(Array.from({ length: 2000 }, (_, k) => line(i + k)).join(""));
    })());
    const threads = 2;
    const t = createParallelRedactTransform({ columns: cols, rules: r, salt, threads });
    source.pipe(t);
    let consumed = 0;
    let maxAhead = 0;
    for await (const chunk of t) {
      consumed += (chunk as Buffer).length;
      // Let the source, the workers and the transform run as far as backpressure lets them.
      for (let k = 0; k < 30; k++) await new Promise(setImmediate);
      maxAhead = Math.max(maxAhead, t.stats().bytesIn - consumed);
    }
    expect(consumed).toBe(t.stats().bytesIn);
    expect(t.stats().rows).toBe(total);
    // In flight (2 per worker), pushed but unread, the batch being gathered and a held write: a few
    // batches (2-3 MB measured, whatever the input's size), never the stream (without backpressure
    // it runs ahead by most of the input).
    expect(maxAhead).toBeLessThanOrEqual(32 * BATCH_BYTES);
  });

  it("keeps a table with a shuffled column on one thread (its window needs consecutive rows)", async () => {
    const input = rowsText(3000);
    const shuffled = { ...rules, notes: { rule: "shuffle" } as TRule };
    const got = await run(createParallelRedactTransform({ columns, rules: shuffled, salt, threads: 2 }), cut(input, [65_536]));
    const notes = (b: Buffer) => b.toString("utf8").trimEnd().split("\n").map((l) => l.split("\t")[7]);
    const [inNotes, outNotes] = [notes(input), notes(got.output)];
    expect(outNotes).toHaveLength(3000);
    for (let w = 0; w < 3000; w += 1000) expect(outNotes.slice(w, w + 1000).sort()).toEqual(inNotes.slice(w, w + 1000).sort());
  });
});

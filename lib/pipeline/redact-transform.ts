// The hot path: a Transform from COPY text chunks (source COPY TO STDOUT) to COPY text chunks
// (target COPY FROM STDIN) that applies the column rules.
//
// Why it looks like this (measured with bench/redact-transform-bench.ts): it works on Buffers, cuts
// rows and fields with indexOf, decodes only the fields that have a rule, copies everything else
// as byte ranges, and pushes one output Buffer per input chunk. null/constant rules do not even
// decode. Low-cardinality columns (first names, cities) hit a bounded per-column cache; the cache
// switches itself off when it does not pay. Memory: one chunk plus a partial row, plus the
// shuffle window (<= SHUFFLE_WINDOW_ROWS rows / SHUFFLE_WINDOW_BYTES) when a column is shuffled.
//
// Row agreement (lib/redaction/rules/fake.ts): in a table with a fake email (or postal code) and
// fake first/last/full name (or city) columns, the names (the city) are the ones the row's fake
// email (postal code) was made of, so a row reads as one person at one place. The seed field is
// located in the row when a related column needs it; a related value that would equal the
// column's own input, or not fit the column, falls back to the column's own fake.

import { randomBytes } from "node:crypto";
import { Transform, type Duplex, type TransformCallback } from "node:stream";
import type { TRule } from "@/lib/schemas/rules";
import { compileRelated, compileRule, RedactionError, ROW_SEED_KINDS } from "@/lib/redaction/catalogue";
import { isArrayColumn, type ColumnMeta } from "@/lib/redaction/column-meta";
import type { FakeRelated } from "@/lib/redaction/rules/fake";
import { CopyFormatError, decodeField, encodeField, LineSplitter, NEWLINE, TAB } from "./copy-text";

export const SHUFFLE_WINDOW_ROWS = 1000;
export const SHUFFLE_WINDOW_BYTES = 8 * 1024 * 1024;
const CACHE_MAX = 10_000;
const CACHE_PROBE = 20_000;

export type RedactStats = { rows: number; bytesIn: number; bytesOut: number };
export type RedactTransform = Transform & { stats(): RedactStats };

type Slot =
  | { kind: "pass" }
  | { kind: "fixed"; bytes: Buffer } // null/constant: output does not depend on the value
  | { kind: "value"; column: string; redact: (v: string) => string | null; cache: Map<string, string | null> | null; lookups: number; hits: number }
  | { kind: "shuffle"; index: number };

const NULL_FIELD = Buffer.from("\\N");

export class Output {
  buf: Buffer;
  pos = 0;
  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
  }
  private grow(need: number) {
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + need + 1024));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
  range(src: Buffer, start: number, end: number) {
    const n = end - start;
    if (n <= 0) return;
    if (this.pos + n > this.buf.length) this.grow(n);
    if (n < 64) {
      // Short ranges (the bytes between two redacted fields): a loop beats Buffer#copy's call overhead.
      const out = this.buf;
      let p = this.pos;
      for (let i = start; i < end; i++) out[p++] = src[i];
      this.pos = p;
    } else this.pos += src.copy(this.buf, this.pos, start, end);
  }
  bytes(b: Buffer) {
    this.range(b, 0, b.length);
  }
  /** Skips n bytes (to be filled in later, e.g. a length written after its value) and returns where they start. */
  reserve(n: number): number {
    if (this.pos + n > this.buf.length) this.grow(n);
    const at = this.pos;
    this.pos += n;
    return at;
  }
  text(s: string) {
    const n = s.length;
    if (this.pos + n * 3 > this.buf.length) this.grow(n * 3);
    if (n < 64) {
      const out = this.buf;
      const start = this.pos;
      let p = start;
      for (let i = 0; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c > 0x7f) {
          this.pos = start + this.buf.write(s, start, "utf8");
          return;
        }
        out[p++] = c;
      }
      this.pos = p;
    } else this.pos += this.buf.write(s, this.pos, "utf8");
  }
  /** A value as a COPY text field (encodeField), escaping short ASCII values in the same pass that writes them. */
  field(s: string | null) {
    if (s === null) return this.bytes(NULL_FIELD);
    const n = s.length;
    if (n >= 64) return this.text(encodeField(s));
    if (this.pos + n * 3 > this.buf.length) this.grow(n * 3);
    const out = this.buf;
    const start = this.pos;
    let p = start;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c > 0x7f) {
        this.pos = start;
        return this.text(encodeField(s));
      }
      if (c === 0x5c || c === 0x09 || c === 0x0a || c === 0x0d) {
        out[p++] = 0x5c;
        out[p++] = c === 0x5c ? 0x5c : c === 0x09 ? 0x74 : c === 0x0a ? 0x6e : 0x72; // \\ \t \n \r
      } else out[p++] = c;
    }
    this.pos = p;
  }
  take(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}

/** A row held in the shuffle window: its output pieces, with holes for the shuffled fields. */
type HeldRow = { pieces: (Buffer | number)[]; values: Buffer[]; bytes: number };

export type RedactOptions = { columns: ColumnMeta[]; rules: Record<string, TRule>; salt: Buffer };

/**
 * The rules compiled for one table, rewriting whole COPY text rows; what the Transform below
 * and the worker threads of parallel-redact-transform.ts run.
 * - rewrite(lines): buf of whole rows (each ending in a newline), or with end=true the last rows
 *   of the stream (a final row may lack its newline; held shuffle rows are emitted too).
 * - rows: rows seen so far; error messages number rows from 1 (set it to continue a count).
 */
export type RowRedactor = { rewrite(lines: Buffer | null, end?: boolean): Buffer; rows: number; readonly shuffles: boolean };

/** A value rule's slot, as the row loops of the text and binary rewriters use it. */
export type ValueSlot = Extract<Slot, { kind: "value" }>;
export type SlotOf = Slot;

/**
 * The rules of one table compiled into one slot per column, shared by the text rewriter below and
 * the binary one (redact-binary.ts): `fixed` holds the field as the format encodes it
 * (`encodeFixed`: COPY text `\N` / escaped text, or a binary length and bytes).
 */
export function compileTable(opts: RedactOptions, encodeFixed: (value: string | null, column: number) => Buffer) {
  const { columns, rules, salt } = opts;
  for (const name of Object.keys(rules)) {
    if (!columns.some((c) => c.name === name)) throw new Error(`A rule names column "${name}", which is not among the copied columns.`);
  }
  let shuffleCount = 0;
  const agreement = rowAgreement(columns, rules, salt);
  const slots: Slot[] = columns.map((col, i) => {
    const rule = rules[col.name];
    if (!rule) return { kind: "pass" };
    if (rule.rule === "shuffle") {
      compileRule(rule, col, { salt }); // validates
      return { kind: "shuffle", index: shuffleCount++ };
    }
    const compiled = compileRule(rule, col, { salt });
    // A seed column's fake comes from the computation that also gave the row's related values.
    const redact = agreement?.seedRedact.get(i) ?? compiled;
    if (rule.rule === "null") return { kind: "fixed", bytes: encodeFixed(null, i) };
    if (rule.rule === "constant") return { kind: "fixed", bytes: encodeFixed(redact(""), i) };
    return { kind: "value", column: col.name, redact, cache: new Map(), lookups: 0, hits: 0 };
  });
  let lastRuled = -1;
  slots.forEach((s, i) => {
    if (s.kind !== "pass") lastRuled = i;
  });

  const redactValue = (slot: ValueSlot, value: string): string | null => {
    const cache = slot.cache;
    if (cache === null) return slot.redact(value);
    const hit = cache.get(value);
    slot.lookups++;
    if (hit !== undefined) {
      slot.hits++;
      return hit;
    }
    if (slot.lookups === CACHE_PROBE && slot.hits * 3 < slot.lookups) {
      slot.cache = null; // high-cardinality column: the cache costs more than it saves
      return slot.redact(value);
    }
    const out = slot.redact(value);
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(value, out);
    return out;
  };

  /** A value slot's output for a non-NULL value in row `row` (the row's agreed fake where the column takes part in one). */
  const redactField = (slot: ValueSlot, c: number, value: string, row: number, seeds: SeedReader): string | null => {
    try {
      const member = agreement?.members.get(c);
      const related = member && agreement!.relatedOf(member, row, seeds);
      return related !== undefined && member!.accepts(related, value) ? related : redactValue(slot, value);
    } catch (e) {
      if (e instanceof RedactionError) throw new RedactionError(`Column "${slot.column}", row ${row}: ${e.message}`);
      throw e;
    }
  };
  return { slots, shuffleCount, lastRuled, redactField };
}

/** Reads a seed column's value (NULL as null) from the row being rewritten, for the row agreement. */
export type SeedReader = { field(column: number): string | null };

/** Held rows of a table with shuffled columns, emitted a window at a time with the values permuted. */
export class ShuffleWindow {
  private rows: HeldRow[] = [];
  private bytes = 0;
  constructor(private readonly columns: number) {}
  /** A row to hold, with an output of its own for its pieces (rowBytes: its input size, for the first buffer). */
  startRow(rowBytes: number): { held: HeldRow; target: Output } {
    return { held: { pieces: [], values: new Array(this.columns), bytes: 0 }, target: new Output(Math.max(64, rowBytes + 64)) };
  }
  /** At a shuffled field buf[start, end): the row's output so far becomes a piece, the field a hole filled at flush. */
  cut(held: HeldRow, target: Output, index: number, buf: Buffer, start: number, end: number, restBytes: number) {
    held.pieces.push(target.take(), index);
    target.buf = Buffer.allocUnsafe(Math.max(64, restBytes + 64));
    target.pos = 0;
    held.values[index] = Buffer.from(buf.subarray(start, end));
    held.bytes += end - start;
  }
  /** Holds the finished row; flushes the window into `out` when it is full. */
  endRow(held: HeldRow, target: Output, rowBytes: number, out: Output) {
    held.pieces.push(target.take());
    held.bytes += rowBytes;
    this.rows.push(held);
    this.bytes += held.bytes;
    if (this.rows.length >= SHUFFLE_WINDOW_ROWS || this.bytes >= SHUFFLE_WINDOW_BYTES) this.flush(out);
  }
  /** Emits the held rows, each shuffled column taking the value of another row (Sattolo's cycle: no row keeps its own). */
  flush(out: Output) {
    const window = this.rows;
    const n = window.length;
    if (n === 0) return;
    const perms: Uint32Array[] = [];
    const rnd = randomBytes(4 * Math.max(1, n) * this.columns);
    for (let s = 0; s < this.columns; s++) {
      const p = new Uint32Array(n);
      for (let i = 0; i < n; i++) p[i] = i;
      for (let i = n - 1; i > 0; i--) {
        const j = rnd.readUInt32LE(4 * (s * n + i)) % i;
        const t = p[i];
        p[i] = p[j];
        p[j] = t;
      }
      perms.push(p);
    }
    for (let r = 0; r < n; r++) {
      for (const piece of window[r].pieces) {
        if (typeof piece === "number") out.bytes(window[perms[piece][r]].values[piece]);
        else out.bytes(piece);
      }
    }
    this.rows = [];
    this.bytes = 0;
  }
}

export function createRowRedactor(opts: RedactOptions): RowRedactor {
  const { columns } = opts;
  const { slots, shuffleCount, lastRuled, redactField } = compileTable(opts, (v) => (v === null ? NULL_FIELD : Buffer.from(encodeField(v))));
  const stats = { rows: 0 };
  const window = new ShuffleWindow(shuffleCount);
  // The seed reader of the row being rewritten: finds a column's field by counting tabs.
  const row = {
    buf: Buffer.alloc(0) as Buffer, lineStart: 0, contentEnd: 0,
    field(col: number): string | null {
      const { buf, contentEnd } = this;
      let start = this.lineStart;
      for (let k = 0; k < col; k++) {
        const tab = buf.indexOf(TAB, start);
        if (tab === -1 || tab >= contentEnd) return null;
        start = tab + 1;
      }
      const tab = buf.indexOf(TAB, start);
      const end = tab === -1 || tab >= contentEnd ? contentEnd : tab;
      return decodeField(buf, start, end);
    },
  };

  /** Rewrites the rows in buf[0, end). `end` is just after a newline, or the end of a final unterminated row. */
  const processRows = (buf: Buffer, end: number, out: Output) => {
    let lineStart = 0;
    while (lineStart < end) {
      let nl = buf.indexOf(NEWLINE, lineStart);
      if (nl === -1 || nl >= end) nl = end; // final row without a newline
      const lineEnd = nl < end ? nl + 1 : end;
      let contentEnd = nl;
      if (contentEnd > lineStart && buf[contentEnd - 1] === 0x0d) contentEnd--;
      stats.rows++;
      const hold = shuffleCount > 0 ? window.startRow(lineEnd - lineStart) : null;
      const target = hold ? hold.target : out;
      let copyFrom = lineStart;
      let fieldStart = lineStart;
      for (let c = 0; c <= lastRuled; c++) {
        let fieldEnd: number;
        if (c === columns.length - 1) {
          // Search only this row: a scan to the next row's tab would make one-column tables quadratic.
          if (buf.subarray(fieldStart, contentEnd).includes(TAB)) throw new CopyFormatError(`Row ${stats.rows} has more than the expected ${columns.length} fields.`);
          fieldEnd = contentEnd;
        } else {
          const tab = buf.indexOf(TAB, fieldStart);
          if (tab === -1 || tab >= contentEnd) throw new CopyFormatError(`Row ${stats.rows} has ${c + 1} fields; expected ${columns.length}.`);
          fieldEnd = tab;
        }
        const slot = slots[c];
        if (slot.kind !== "pass") {
          target.range(buf, copyFrom, fieldStart);
          const isNull = fieldEnd - fieldStart === 2 && buf[fieldStart] === 0x5c && buf[fieldStart + 1] === 0x4e;
          if (slot.kind === "fixed") {
            target.bytes(isNull ? NULL_FIELD : slot.bytes);
          } else if (slot.kind === "value") {
            if (isNull) target.bytes(NULL_FIELD);
            else {
              const value = decodeField(buf, fieldStart, fieldEnd) as string;
              row.buf = buf;
              row.lineStart = lineStart;
              row.contentEnd = contentEnd;
              const redacted = redactField(slot, c, value, stats.rows, row);
              target.field(redacted);
            }
          } else window.cut(hold!.held, target, slot.index, buf, fieldStart, fieldEnd, lineEnd - fieldEnd);
          copyFrom = fieldEnd;
        }
        fieldStart = fieldEnd + 1;
      }
      target.range(buf, copyFrom, lineEnd);
      if (hold) window.endRow(hold.held, target, lineEnd - lineStart, out);
      lineStart = lineEnd;
    }
  };

  const rowCount = (buf: Buffer) => {
    let n = 0;
    for (let i = buf.indexOf(NEWLINE); i !== -1; i = buf.indexOf(NEWLINE, i + 1)) n++;
    return n;
  };

  return {
    get rows() {
      return stats.rows;
    },
    set rows(n: number) {
      stats.rows = n;
    },
    shuffles: shuffleCount > 0,
    rewrite(lines, end = false) {
      if (lastRuled === -1) {
        if (!lines) return Buffer.alloc(0);
        stats.rows += rowCount(lines) + (end && lines[lines.length - 1] !== NEWLINE ? 1 : 0);
        return lines;
      }
      const out = new Output((lines?.length ?? 0) + ((lines?.length ?? 0) >> 2) + 256);
      if (lines) processRows(lines, lines.length, out);
      if (end) window.flush(out);
      return out.take();
    },
  };
}

/**
 * How a COPY format's stream is cut for a RowRedactor: `push` gives the whole rows of a chunk and
 * the bytes passed through before and after them (binary COPY's header and trailer; a `tail`
 * means the stream's end marker came); `end` gives what is left at the end of the stream (a last
 * text row without its newline) or throws when the stream stopped in the middle of a row.
 */
export type RowFramer = {
  /** `count`: how many rows `rows` holds, where the framer counted them while cutting (binary). */
  push(chunk: Buffer): { head: Buffer | null; rows: Buffer | null; tail: Buffer | null; count?: number };
  end(): Buffer | null;
};

/** COPY text: rows end at raw newlines. */
export function textFramer(): RowFramer {
  const splitter = new LineSplitter();
  return { push: (chunk) => ({ head: null, rows: splitter.push(chunk), tail: null }), end: () => splitter.end() };
}

/** The single-threaded transform of a format: its framer's rows through the redactor, in order. */
export function createFramedRedactTransform(redactor: RowRedactor, framer: RowFramer, signal?: AbortSignal): RedactTransform {
  const stats: RedactStats = { rows: 0, bytesIn: 0, bytesOut: 0 };
  const emit = (parts: (Buffer | null)[], callback: TransformCallback) => {
    const out = parts.filter((b): b is Buffer => b !== null && b.length > 0);
    const result = out.length === 1 ? out[0] : Buffer.concat(out);
    stats.rows = redactor.rows;
    stats.bytesOut += result.length;
    callback(null, result.length > 0 ? result : undefined);
  };
  const transform = new Transform({
    transform(chunk: Buffer, _enc, callback: TransformCallback) {
      if (signal?.aborted) return callback(abortError(signal));
      stats.bytesIn += chunk.length;
      try {
        const { head, rows, tail } = framer.push(chunk);
        // At the end marker the shuffle window is flushed before it.
        emit([head, rows || tail ? redactor.rewrite(rows, tail !== null) : null, tail], callback);
      } catch (e) {
        callback(e as Error);
      }
    },
    flush(callback: TransformCallback) {
      try {
        emit([redactor.rewrite(framer.end(), true)], callback);
      } catch (e) {
        callback(e as Error);
      }
    },
  }) as RedactTransform;
  transform.stats = () => ({ ...stats });
  onAbort(transform, signal);
  return transform;
}

export function createRedactTransform(opts: RedactOptions & { signal?: AbortSignal }): RedactTransform {
  return createFramedRedactTransform(createRowRedactor(opts), textFramer(), opts.signal);
}

/** Destroys the stream when the signal aborts (and stops listening once it closes). */
export function onAbort(stream: Duplex, signal: AbortSignal | undefined) {
  if (!signal) return;
  const abort = () => stream.destroy(abortError(signal));
  if (signal.aborted) queueMicrotask(abort);
  else signal.addEventListener("abort", abort, { once: true });
  stream.once("close", () => signal.removeEventListener("abort", abort));
}

type Member = { seed: number; kind: string; accepts(related: string, input: string): boolean };
type Seed = {
  related: (value: string) => FakeRelated | undefined;
  cache: Map<string, FakeRelated | undefined> | null; // null once it proved not to pay (unique emails)
  lookups: number;
  hits: number;
  row: number;
  value: FakeRelated | undefined;
};

/** The seed columns (fake email, postal code) and the columns of the same row that agree with them; null when the table has none. */
function rowAgreement(columns: ColumnMeta[], rules: Record<string, TRule>, salt: Buffer) {
  const kindOf = (c: ColumnMeta) => {
    const r = rules[c.name];
    return r?.rule === "fake" && !isArrayColumn(c) ? r.kind : null;
  };
  const seeds_ = new Map<number, Seed>();
  const members = new Map<number, Member>();
  const seedRedact = new Map<number, (value: string) => string>();
  for (const [seedKind, related] of Object.entries(ROW_SEED_KINDS) as [keyof typeof ROW_SEED_KINDS, readonly string[]][]) {
    const si = columns.findIndex((c) => kindOf(c) === seedKind);
    if (si === -1) continue;
    const fake = compileRelated(rules[columns[si].name], columns[si], { salt });
    if (!fake) continue;
    // One fake per seed value and row: the member columns (its related values) and the seed
    // column itself (its fake) ask for the same value, in either order.
    let lastInput: string | null = null;
    let last: ReturnType<typeof fake> = { out: "" };
    const memo = (value: string) => {
      if (value !== lastInput) {
        last = fake(value);
        lastInput = value;
      }
      return last;
    };
    const relatedOf = (value: string) => memo(value).related;
    columns.forEach((c, i) => {
      const kind = kindOf(c);
      if (i === si || !kind || !related.includes(kind)) return;
      const comparable = c.baseType === "bpchar" ? (v: string) => v.trimEnd() : (v: string) => v;
      members.set(i, { seed: si, kind, accepts: (v, input) => (c.maxLength === null || v.length <= c.maxLength) && comparable(v) !== comparable(input) });
      seeds_.set(si, { related: relatedOf, cache: new Map(), lookups: 0, hits: 0, row: -1, value: undefined });
      seedRedact.set(si, (value) => memo(value).out);
    });
  }
  if (!members.size) return null;
  return {
    members,
    seedRedact,
    /** The related value for a member column in row `row` (computed once per row and seed; `seeds` reads the seed field). */
    relatedOf(member: Member, row: number, seeds: SeedReader): string | undefined {
      const seed = seeds_.get(member.seed)!;
      if (seed.row !== row) {
        seed.row = row;
        seed.value = undefined;
        const value = seeds.field(member.seed);
        if (value !== null) {
          const cache = seed.cache;
          if (cache === null) seed.value = seed.related(value);
          else {
            seed.lookups++;
            if (cache.has(value)) {
              seed.hits++;
              seed.value = cache.get(value);
            } else {
              seed.value = seed.related(value);
              if (seed.lookups >= CACHE_PROBE && seed.hits * 3 < seed.lookups) seed.cache = null; // as the column caches do
              else {
                if (cache.size >= CACHE_MAX) cache.clear();
                cache.set(value, seed.value);
              }
            }
          }
        }
      }
      return seed.value?.[member.kind as keyof FakeRelated];
    },
  };
}

export function abortError(signal: AbortSignal): Error {
  const err = new Error("The copy was cancelled.", { cause: signal.reason });
  err.name = "AbortError";
  return err;
}

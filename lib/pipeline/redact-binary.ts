// The redaction transform for PostgreSQL's binary COPY format (issue 14): the same rules as the
// text transform (compileTable in redact-transform.ts), byte-identical values in the twin, with
// far less work on both sides: a binary field is a length and its bytes, so rows and fields are
// found by their lengths (no scanning for tabs, no escapes to undo or write), every field without
// a rule is copied as a byte range, and the target parses binary with much less CPU than text.
//
// Binary COPY (https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.4):
//   header   "PGCOPY\n\377\r\n\0", int32 flags, int32 extension length, extension bytes
//   row      int16 field count, then per field int32 length (-1: NULL) and that many bytes
//   trailer  int16 -1
// A field's bytes are the type's send function's output; only the types listed in BINARY_CODECS
// are decoded to the text the rules take (the same text COPY text would show, SESSION_SETTINGS
// pinned) and encoded back. A table whose value rules sit on other types (dates, json, arrays,
// extension types...) keeps text COPY: `binaryRedactable` tells which.

import type { TRule } from "@/lib/schemas/rules";
import { INTEGER_RANGES, isArrayColumn, type ColumnMeta } from "@/lib/redaction/column-meta";
import { RedactionError } from "@/lib/redaction/catalogue";
import { CopyFormatError } from "./copy-text";
import { compileTable, createFramedRedactTransform, Output, ShuffleWindow, type RedactOptions, type RedactTransform, type RowFramer, type RowRedactor, type SeedReader } from "./redact-transform";

const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");
const HEADER_FIXED = SIGNATURE.length + 8; // signature, flags, extension length
const NULL_LENGTH = Buffer.from([0xff, 0xff, 0xff, 0xff]);

/** How a type's binary form becomes the text a rule takes, and a rule's text output becomes binary again. */
type Codec = {
  decode(buf: Buffer, start: number, end: number): string;
  /** Writes the field (length and bytes) for a non-NULL value. */
  encode(out: Output, value: string): void;
};

const textCodec: Codec = {
  // textsend/varcharsend/bpcharsend/namesend: the characters in the client encoding (UTF8, pinned).
  decode: (buf, start, end) => buf.toString("utf8", start, end),
  encode(out, value) {
    const at = out.reserve(4);
    out.text(value);
    out.buf.writeInt32BE(out.pos - at - 4, at);
  },
};

function integerCodec(type: "int2" | "int4" | "int8"): Codec {
  const size = type === "int2" ? 2 : type === "int4" ? 4 : 8;
  const { min, max } = INTEGER_RANGES[type];
  return {
    decode: (buf, start) => (size === 2 ? String(buf.readInt16BE(start)) : size === 4 ? String(buf.readInt32BE(start)) : buf.readBigInt64BE(start).toString()),
    encode(out, value) {
      // The rules' output types are checked when they are compiled; this guards the encoding.
      if (!/^-?\d+$/.test(value)) throw new RedactionError(`the rule's output is not an integer for a ${type} column.`);
      const n = BigInt(value);
      if (n < min || n > max) throw new RedactionError(`the rule's output is out of range for a ${type} column.`);
      const at = out.reserve(4 + size);
      out.buf.writeInt32BE(size, at);
      if (size === 2) out.buf.writeInt16BE(Number(n), at + 4);
      else if (size === 4) out.buf.writeInt32BE(Number(n), at + 4);
      else out.buf.writeBigInt64BE(n, at + 4);
    },
  };
}

const BINARY_CODECS: Record<string, Codec> = {
  text: textCodec, varchar: textCodec, bpchar: textCodec, name: textCodec,
  int2: integerCodec("int2"), int4: integerCodec("int4"), int8: integerCodec("int8"),
};

function codecOf(col: ColumnMeta): Codec | null {
  return isArrayColumn(col) ? null : (BINARY_CODECS[col.baseType] ?? null);
}

/**
 * Whether the rules can run on binary rows: null and shuffle rules on any column (they never read
 * the value), every other rule on a column of a type in BINARY_CODECS. The caller checks the rest
 * of the binary conditions (built-in types, same server major: canCopyBinary in copy-table.ts).
 */
export function binaryRedactable(columns: ColumnMeta[], rules: Record<string, TRule>): boolean {
  return Object.entries(rules).every(([name, rule]) => {
    if (rule.rule === "null" || rule.rule === "shuffle") return true;
    const col = columns.find((c) => c.name === name);
    return !!col && codecOf(col) !== null;
  });
}

/** Where the row starting at buf[p] (its field count read) ends, or -1 when buf holds only part of it. */
function rowEnd(buf: Buffer, p: number, nfields: number): number {
  const n = buf.length;
  let q = p + 2;
  for (let c = 0; c < nfields; c++) {
    if (q + 4 > n) return -1;
    const len = buf.readInt32BE(q);
    q += 4 + (len > 0 ? len : 0);
    if (q > n) return -1;
  }
  return q;
}

const EMPTY = Buffer.alloc(0);
export type BinaryFrame = { header: Buffer | null; rows: Buffer; count: number; trailer: Buffer | null };

/**
 * Cuts a binary COPY stream into its header, regions of whole rows and its trailer, keeping a
 * row that straddles chunks for the next one; checks the signature and each row's field count.
 */
export class BinaryFramer {
  private rest: Buffer | null = null;
  private header = false;
  private ended = false;
  private rows = 0;
  constructor(private readonly nfields: number) {}

  push(chunk: Buffer): BinaryFrame {
    if (this.ended) {
      if (chunk.length) throw new CopyFormatError("Binary COPY data continues after its end marker.");
      return { header: null, rows: EMPTY, count: 0, trailer: null };
    }
    const buf = this.rest ? Buffer.concat([this.rest, chunk]) : chunk;
    this.rest = null;
    const n = buf.length;
    let p = 0;
    let header: Buffer | null = null;
    if (!this.header) {
      const seen = Math.min(n, SIGNATURE.length);
      if (!buf.subarray(0, seen).equals(SIGNATURE.subarray(0, seen))) throw new CopyFormatError("The source did not send binary COPY data.");
      const headerEnd = n < HEADER_FIXED ? -1 : HEADER_FIXED + buf.readUInt32BE(SIGNATURE.length + 4);
      if (headerEnd === -1 || n < headerEnd) {
        this.rest = Buffer.from(buf);
        return { header: null, rows: EMPTY, count: 0, trailer: null };
      }
      if (buf.readUInt32BE(SIGNATURE.length) & (1 << 16)) throw new CopyFormatError("Binary COPY data with OIDs is not supported.");
      header = buf.subarray(0, headerEnd);
      this.header = true;
      p = headerEnd;
    }
    const start = p;
    let count = 0;
    while (p + 2 <= n) {
      const fields = buf.readInt16BE(p);
      if (fields === -1) {
        if (p + 2 !== n) throw new CopyFormatError("Binary COPY data continues after its end marker.");
        this.ended = true;
        this.rows += count;
        return { header, rows: buf.subarray(start, p), count, trailer: buf.subarray(p) };
      }
      if (fields !== this.nfields) throw new CopyFormatError(`Row ${this.rows + count + 1} has ${fields} fields; expected ${this.nfields}.`);
      const q = rowEnd(buf, p, this.nfields);
      if (q === -1) break;
      p = q;
      count++;
    }
    if (p < n) this.rest = Buffer.from(buf.subarray(p)); // own copy: a source's chunk buffers may be reused
    this.rows += count;
    return { header, rows: buf.subarray(start, p), count, trailer: null };
  }

  /** At the end of the stream: it must have ended with the trailer. */
  end(): void {
    if (this.rest || !this.ended) throw new CopyFormatError("The binary COPY data ended in the middle of a row.");
  }
}

/**
 * Rewrites regions of whole binary COPY rows (no header or trailer: BinaryFramer cuts those off),
 * with the RowRedactor interface of the text redactor, so the worker threads run either.
 */
export function createBinaryRowRedactor(opts: RedactOptions): RowRedactor {
  const { columns } = opts;
  const codecs = columns.map(codecOf);
  const { slots, shuffleCount, lastRuled, redactField } = compileTable(opts, (value, i) => encodeBinaryField(codecs[i], value));
  const window = new ShuffleWindow(shuffleCount);
  let rows = 0;

  // The seed reader of the row being rewritten: walks the field lengths to the column.
  const row = {
    buf: Buffer.alloc(0) as Buffer, start: 0,
    field(col: number): string | null {
      let p = this.start + 2;
      for (let k = 0; k < col; k++) {
        const len = this.buf.readInt32BE(p);
        p += 4 + (len > 0 ? len : 0);
      }
      const len = this.buf.readInt32BE(p);
      return len < 0 ? null : codecs[col]!.decode(this.buf, p + 4, p + 4 + len);
    },
  };
  const seeds: SeedReader = row;

  const rewriteRows = (buf: Buffer, out: Output) => {
    const n = buf.length;
    let p = 0;
    while (p < n) {
      const q = rowEnd(buf, p, columns.length);
      if (q === -1 || buf.readInt16BE(p) !== columns.length) throw new CopyFormatError(`Row ${rows + 1} is not a whole binary COPY row of ${columns.length} fields.`);
      rows++;
      const hold = shuffleCount > 0 ? window.startRow(q - p) : null;
      const target = hold ? hold.target : out;
      let copyFrom = p;
      let f = p + 2;
      for (let c = 0; c <= lastRuled; c++) {
        const len = buf.readInt32BE(f);
        const fieldEnd = f + 4 + (len > 0 ? len : 0);
        const slot = slots[c];
        if (slot.kind !== "pass") {
          target.range(buf, copyFrom, f);
          if (slot.kind === "fixed") target.bytes(len < 0 ? NULL_LENGTH : slot.bytes);
          else if (slot.kind === "value") {
            if (len < 0) target.bytes(NULL_LENGTH);
            else {
              const codec = codecs[c]!;
              row.buf = buf;
              row.start = p;
              const redacted = redactField(slot, c, codec.decode(buf, f + 4, fieldEnd), rows, seeds);
              if (redacted === null) target.bytes(NULL_LENGTH);
              else {
                try {
                  codec.encode(target, redacted);
                } catch (e) {
                  if (e instanceof RedactionError) throw new RedactionError(`Column "${slot.column}", row ${rows}: ${e.message}`);
                  throw e;
                }
              }
            }
          } else window.cut(hold!.held, target, slot.index, buf, f, fieldEnd, q - fieldEnd);
          copyFrom = fieldEnd;
        }
        f = fieldEnd;
      }
      target.range(buf, copyFrom, q);
      if (hold) window.endRow(hold.held, target, q - p, out);
      p = q;
    }
  };

  return {
    get rows() {
      return rows;
    },
    set rows(n: number) {
      rows = n;
    },
    shuffles: shuffleCount > 0,
    rewrite(region, end = false) {
      if (lastRuled === -1 && !end) {
        rows += region ? countRows(region, columns.length) : 0;
        return region ?? EMPTY;
      }
      const out = new Output((region?.length ?? 0) + ((region?.length ?? 0) >> 2) + 256);
      if (region) rewriteRows(region, out);
      if (end) window.flush(out);
      return out.take();
    },
  };
}

function countRows(buf: Buffer, nfields: number): number {
  let n = 0;
  for (let p = 0; p < buf.length; n++) p = rowEnd(buf, p, nfields);
  return n;
}

/** A field's binary form (length and bytes); null and constant rules' fields are encoded once, like a rule's output. */
function encodeBinaryField(codec: Codec | null, value: string | null): Buffer {
  if (value === null) return NULL_LENGTH;
  if (!codec) throw new Error("A constant rule on a column without a binary codec reached the binary transform.");
  const out = new Output(value.length * 3 + 8);
  codec.encode(out, value);
  return Buffer.from(out.take());
}

/** Binary COPY as a RowFramer: the header before the first rows, the trailer after the last. */
export function binaryFramer(nfields: number): RowFramer {
  const framer = new BinaryFramer(nfields);
  return {
    push(chunk) {
      const f = framer.push(chunk);
      return { head: f.header, rows: f.rows.length ? f.rows : null, tail: f.trailer, count: f.count };
    },
    end() {
      framer.end();
      return null;
    },
  };
}

/** The binary transform: binary COPY chunks in, redacted binary COPY chunks out. */
export function createBinaryRedactTransform(opts: RedactOptions & { signal?: AbortSignal }): RedactTransform {
  return createFramedRedactTransform(createBinaryRowRedactor(opts), binaryFramer(opts.columns.length), opts.signal);
}

// PostgreSQL COPY text format (delimiter tab, NULL as \N), as produced by `COPY ... TO STDOUT`
// and read by `COPY ... FROM STDIN`, plus the array and composite literal syntax that sits
// inside a field (the "second quoting layer").
//
// Rows end with a raw newline byte: COPY escapes every newline inside data as `\n`, so a raw
// 0x0A is always a row end, and cutting a chunk after it never splits an escape or a UTF-8 char.

export const TAB = 0x09;
export const NEWLINE = 0x0a;
const CR = 0x0d;
const BACKSLASH = 0x5c;

export class CopyFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CopyFormatError";
  }
}

/** The session settings pinned on source and target so that text forms are the same on both sides. */
export const SESSION_SETTINGS: Readonly<Record<string, string>> = {
  client_encoding: "UTF8",
  DateStyle: "ISO, YMD",
  IntervalStyle: "postgres",
  TimeZone: "UTC",
  extra_float_digits: "3",
  bytea_output: "hex",
};

/** Pins SESSION_SETTINGS on a connected client (anything with `query(text)`; pg.Client or pg.PoolClient). */
export async function pinSessionSettings(client: { query(sql: string): Promise<unknown> }): Promise<void> {
  const sql = Object.entries(SESSION_SETTINGS)
    .map(([name, value]) => `SET ${name} = '${value}'`)
    .join("; ");
  await client.query(sql);
}

const SIMPLE_ESCAPES: Record<number, number> = {
  0x62: 0x08, // \b
  0x66: 0x0c, // \f
  0x6e: 0x0a, // \n
  0x72: 0x0d, // \r
  0x74: 0x09, // \t
  0x76: 0x0b, // \v
};

function isOctal(c: number) {
  return c >= 0x30 && c <= 0x37;
}
function hexValue(c: number) {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/** First backslash in buf[start, end), or -1. Bounded: buf.indexOf(x, start) would scan the rest of the chunk. */
function backslashIn(buf: Buffer, start: number, end: number): number {
  if (end - start < 64) {
    for (let i = start; i < end; i++) if (buf[i] === BACKSLASH) return i;
    return -1;
  }
  const i = buf.subarray(start, end).indexOf(BACKSLASH);
  return i === -1 ? -1 : start + i;
}

/**
 * Decodes the COPY text field buf[start, end): `\N` alone is NULL; escapes as PostgreSQL reads
 * them (\b \f \n \r \t \v, octal \NNN, hex \xHH, any other \c is c). Bytes from escapes are
 * reassembled before UTF-8 decoding, so `\303\251` is "é".
 */
export function decodeField(buf: Buffer, start: number, end: number): string | null {
  const bs = backslashIn(buf, start, end);
  if (bs === -1) return buf.toString("utf8", start, end);
  if (end - start === 2 && buf[start + 1] === 0x4e) return null; // \N
  const out = Buffer.allocUnsafe(end - start);
  let o = buf.copy(out, 0, start, bs);
  let i = bs;
  while (i < end) {
    const c = buf[i];
    if (c !== BACKSLASH) {
      out[o++] = c;
      i++;
      continue;
    }
    if (i + 1 >= end) {
      // A trailing lone backslash: PostgreSQL would read past the field; keep it literally.
      out[o++] = BACKSLASH;
      i++;
      continue;
    }
    const n = buf[i + 1];
    const simple = SIMPLE_ESCAPES[n];
    if (simple !== undefined) {
      out[o++] = simple;
      i += 2;
    } else if (isOctal(n)) {
      let v = n - 0x30;
      let j = i + 2;
      for (let k = 0; k < 2 && j < end && isOctal(buf[j]); k++, j++) v = v * 8 + (buf[j] - 0x30);
      out[o++] = v & 0xff;
      i = j;
    } else if (n === 0x78 && i + 2 < end && hexValue(buf[i + 2]) >= 0) {
      let v = hexValue(buf[i + 2]);
      let j = i + 3;
      if (j < end && hexValue(buf[j]) >= 0) v = v * 16 + hexValue(buf[j++]);
      out[o++] = v;
      i = j;
    } else {
      out[o++] = n;
      i += 2;
    }
  }
  return out.toString("utf8", 0, o);
}

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPE_ALL = /[\\\t\n\r]/g;
const ESCAPED: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/** Encodes a value as a COPY text field: NULL is `\N`; backslash, tab, newline and CR are escaped. */
export function encodeField(value: string | null): string {
  if (value === null) return "\\N";
  if (value.length < 64) {
    // Most values are short and need nothing: a char scan is cheaper than a regex call.
    let plain = true;
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      if (c === 0x5c || c === 0x09 || c === 0x0a || c === 0x0d) {
        plain = false;
        break;
      }
    }
    if (plain) return value;
  } else if (!NEEDS_ESCAPE.test(value)) return value;
  return value.replace(ESCAPE_ALL, (c) => ESCAPED[c]);
}

/** Splits one row (without its line end) into decoded fields. For tests and small tools; the transform works on byte ranges. */
export function decodeRow(line: Buffer): (string | null)[] {
  const fields: (string | null)[] = [];
  let start = 0;
  for (;;) {
    const tab = line.indexOf(TAB, start);
    const end = tab === -1 ? line.length : tab;
    fields.push(decodeField(line, start, end));
    if (tab === -1) return fields;
    start = tab + 1;
  }
}

/** Encodes one row, with its newline. */
export function encodeRow(fields: readonly (string | null)[]): string {
  return fields.map(encodeField).join("\t") + "\n";
}

/**
 * Cuts a stream of COPY text chunks into whole lines. `push(chunk)` returns the region of
 * complete lines (possibly prefixed by the saved partial line) and keeps the rest; `end()`
 * returns what is left (a last line without a newline, if any).
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private partBytes = 0;

  push(chunk: Buffer): Buffer | null {
    const last = chunk.lastIndexOf(NEWLINE);
    if (last === -1) {
      if (chunk.length > 0) this.parts.push(chunk);
      this.partBytes += chunk.length;
      return null;
    }
    let lines: Buffer;
    if (this.parts.length > 0) {
      this.parts.push(chunk.subarray(0, last + 1));
      lines = Buffer.concat(this.parts);
      this.parts = [];
      this.partBytes = 0;
    } else {
      lines = chunk.subarray(0, last + 1);
    }
    if (last + 1 < chunk.length) {
      this.parts.push(chunk.subarray(last + 1));
      this.partBytes = chunk.length - last - 1;
    }
    return lines;
  }

  end(): Buffer | null {
    const rest = this.parts.length > 0 ? Buffer.concat(this.parts) : null;
    this.parts = [];
    this.partBytes = 0;
    return rest && rest.length > 0 ? rest : null;
  }

  get pendingBytes(): number {
    return this.partBytes;
  }
}

/** Where a line's content ends: before "\n" and before a "\r" preceding it (COPY accepts CRLF line ends). */
export function lineContentEnd(buf: Buffer, lineEnd: number, lineStart: number): number {
  return lineEnd > lineStart && buf[lineEnd - 1] === CR ? lineEnd - 1 : lineEnd;
}

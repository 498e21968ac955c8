import { Transform, type TransformCallback } from "node:stream";
import { decodeField, LineSplitter, lineContentEnd, NEWLINE, TAB } from "./copy-text";

// COPY text rows -> CSV (RFC 4180): a header row, CRLF line ends, fields quoted when they hold
// a comma, a quote, CR or LF. NULL is an empty field; an empty string is `""`, so the two stay
// distinguishable. Each decoded row is also handed to `onRow` (the privacy check of the file).

export function createCopyToCsv(columns: string[], onRow?: (row: (string | null)[]) => void): Transform & { rows(): number } {
  const splitter = new LineSplitter();
  let rows = 0;
  let headerDone = false;
  const convert = (buf: Buffer): string => {
    let out = headerDone ? "" : columns.map(csvField).join(",") + "\r\n";
    headerDone = true;
    let start = 0;
    while (start < buf.length) {
      let nl = buf.indexOf(NEWLINE, start);
      if (nl === -1) nl = buf.length;
      const end = lineContentEnd(buf, nl, start);
      const row: (string | null)[] = [];
      let f = start;
      for (;;) {
        let tab = buf.indexOf(TAB, f);
        if (tab === -1 || tab > end) tab = end;
        row.push(decodeField(buf, f, tab));
        if (tab >= end) break;
        f = tab + 1;
      }
      onRow?.(row);
      out += row.map((v) => (v === null ? "" : csvField(v))).join(",") + "\r\n";
      rows++;
      start = nl + 1;
    }
    return out;
  };
  const t = new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      try {
        const lines = splitter.push(chunk);
        cb(null, lines ? convert(lines) : headerDone ? undefined : ((headerDone = true), columns.map(csvField).join(",") + "\r\n"));
      } catch (err) {
        cb(err as Error);
      }
    },
    flush(cb: TransformCallback) {
      try {
        const rest = splitter.end();
        cb(null, rest ? convert(rest) : headerDone ? undefined : convert(Buffer.alloc(0)));
      } catch (err) {
        cb(err as Error);
      }
    },
  });
  return Object.assign(t, { rows: () => rows });
}

export function csvField(v: string): string {
  if (v === "") return '""';
  return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

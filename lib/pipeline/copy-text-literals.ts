// The second quoting layer inside a COPY field: array literals ({a,"b c",NULL}) and composite
// literals ((a,"b c",)), as PostgreSQL's array_out/record_out write them and array_in/record_in
// read them. Used to apply scalar rules element by element.

import { CopyFormatError } from "./copy-text";

export type PgArray = (string | null | PgArray)[];

/** Parses an array literal; `decoration` is an optional "[0:2]=" bounds prefix, kept as is. */
export function parseArrayLiteral(text: string, delim = ","): { decoration: string; items: PgArray } {
  let i = 0;
  let decoration = "";
  if (text[0] === "[") {
    const eq = text.indexOf("=");
    if (eq === -1) throw new CopyFormatError("Array literal has bounds without '='.");
    decoration = text.slice(0, eq + 1);
    i = eq + 1;
  }
  const skipSpace = () => {
    while (i < text.length && isSpace(text[i])) i++;
  };
  const parseLevel = (): PgArray => {
    if (text[i] !== "{") throw new CopyFormatError("Array literal must start with '{'.");
    i++;
    const items: PgArray = [];
    skipSpace();
    if (text[i] === "}") {
      i++;
      return items;
    }
    for (;;) {
      skipSpace();
      const c = text[i];
      if (c === "{") {
        items.push(parseLevel());
      } else if (c === '"') {
        i++;
        let s = "";
        for (;;) {
          if (i >= text.length) throw new CopyFormatError("Array literal has an unterminated quoted element.");
          const ch = text[i++];
          if (ch === '"') break;
          if (ch === "\\") {
            if (i >= text.length) throw new CopyFormatError("Array literal ends with a backslash.");
            s += text[i++];
          } else s += ch;
        }
        items.push(s);
      } else {
        let s = "";
        let sawEscape = false;
        while (i < text.length && text[i] !== delim && text[i] !== "}") {
          const ch = text[i++];
          if (ch === "\\") {
            if (i >= text.length) throw new CopyFormatError("Array literal ends with a backslash.");
            s += text[i++];
            sawEscape = true;
          } else s += ch;
        }
        const trimmed = sawEscape ? s : s.trim();
        if (trimmed.length === 0) throw new CopyFormatError("Array literal has an empty unquoted element.");
        items.push(!sawEscape && trimmed.toUpperCase() === "NULL" ? null : trimmed);
      }
      skipSpace();
      const sep = text[i++];
      if (sep === "}") return items;
      if (sep !== delim) throw new CopyFormatError("Array literal has an unexpected character.");
    }
  };
  const items = parseLevel();
  skipSpace();
  if (i !== text.length) throw new CopyFormatError("Array literal has trailing characters.");
  return { decoration, items };
}

function isSpace(c: string) {
  return c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\v" || c === "\f";
}

function quoteArrayElement(s: string, delim: string): string {
  if (s.length === 0 || s.toUpperCase() === "NULL" || /[{}"\\\s]/.test(s) || s.includes(delim)) {
    return '"' + s.replace(/["\\]/g, "\\$&") + '"';
  }
  return s;
}

export function serializeArrayLiteral(items: PgArray, decoration = "", delim = ","): string {
  const level = (xs: PgArray): string =>
    "{" + xs.map((x) => (x === null ? "NULL" : Array.isArray(x) ? level(x) : quoteArrayElement(x, delim))).join(delim) + "}";
  return decoration + level(items);
}

/** Applies fn to every non-NULL leaf of an array literal; NULL elements stay NULL. */
export function mapArrayLiteral(text: string, fn: (element: string) => string | null, delim = ","): string {
  const { decoration, items } = parseArrayLiteral(text, delim);
  const map = (xs: PgArray): PgArray => xs.map((x) => (x === null ? null : Array.isArray(x) ? map(x) : fn(x)));
  return serializeArrayLiteral(map(items), decoration, delim);
}

/** Parses a composite (row) literal: an empty unquoted field is NULL, "" is the empty string. */
export function parseCompositeLiteral(text: string): (string | null)[] {
  if (text[0] !== "(" || text[text.length - 1] !== ")") throw new CopyFormatError("Composite literal must be wrapped in parentheses.");
  const fields: (string | null)[] = [];
  let i = 1;
  const end = text.length - 1;
  for (;;) {
    let s = "";
    let quotedOrEscaped = false;
    while (i < end && text[i] !== ",") {
      const ch = text[i++];
      if (ch === '"') {
        quotedOrEscaped = true;
        for (;;) {
          if (i >= end) throw new CopyFormatError("Composite literal has an unterminated quoted field.");
          const q = text[i++];
          if (q === '"') {
            if (text[i] === '"') {
              s += '"';
              i++;
            } else break;
          } else if (q === "\\") {
            if (i >= end) throw new CopyFormatError("Composite literal ends with a backslash.");
            s += text[i++];
          } else s += q;
        }
      } else if (ch === "\\") {
        if (i >= end) throw new CopyFormatError("Composite literal ends with a backslash.");
        s += text[i++];
        quotedOrEscaped = true;
      } else s += ch;
    }
    fields.push(s.length === 0 && !quotedOrEscaped ? null : s);
    if (i >= end) return fields;
    i++; // the comma
  }
}

export function serializeCompositeLiteral(fields: readonly (string | null)[]): string {
  return (
    "(" +
    fields
      .map((f) => {
        if (f === null) return "";
        if (f.length === 0 || /[(),"\\\s]/.test(f)) return '"' + f.replace(/["\\]/g, "$&$&") + '"';
        return f;
      })
      .join(",") +
    ")"
  );
}

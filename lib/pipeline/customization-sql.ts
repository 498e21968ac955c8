// Post-load customizations are statements written by an admin with named parameters,
// `%(name)s` (psycopg style) or `:name`. They run as prepared statements: each name becomes
// a real `$n` bind parameter, so a value is never part of the SQL text. The scanner skips
// string literals, quoted identifiers, dollar quotes and comments, so `'%(x)s'`, `::int` casts
// and `"a:b"` are left alone, and it refuses more than one statement.

export type ParsedStatement = {
  sql: string;
  params: string[];
  /** The statement as written up to its terminator, each parameter replaced by its `$n` padded
   *  with spaces to the parameter's length: positions in it are positions in the original. */
  padded: string;
};

export class CustomizationSqlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CustomizationSqlError";
  }
}

const IDENT_START = /[A-Za-z_]/;
const IDENT_CHAR = /[A-Za-z0-9_]/;

export function parseCustomizationStatement(statement: string): ParsedStatement {
  const params: string[] = [];
  const indexOf = (name: string) => {
    let i = params.indexOf(name);
    if (i === -1) i = params.push(name) - 1;
    return `$${i + 1}`;
  };
  let out = "";
  let i = 0;
  const s = statement;
  let padded = "";
  let copiedTo = 0;
  const param = (start: number, end: number, name: string) => {
    const ref = indexOf(name);
    padded += s.slice(copiedTo, start) + ref.padEnd(end - start, " ");
    copiedTo = end;
    return ref;
  };
  let end = s.length;
  let sawTerminator = false;
  while (i < s.length) {
    const c = s[i];
    const next = s[i + 1];
    if (sawTerminator) {
      if (/\s/.test(c)) { i++; continue; }
      if (c === "-" && next === "-") { i = skipLineComment(s, i); continue; }
      if (c === "/" && next === "*") { i = skipBlockComment(s, i); continue; }
      if (c === ";") { i++; continue; }
      throw new CustomizationSqlError("Only one SQL statement is allowed per customization; split it into several customizations.");
    }
    if (c === "'" ) {
      const escaped = i > 0 && /[eE]/.test(s[i - 1]) && (i < 2 || !IDENT_CHAR.test(s[i - 2]));
      const end = skipQuoted(s, i, "'", escaped);
      out += s.slice(i, end);
      i = end;
    } else if (c === '"') {
      const end = skipQuoted(s, i, '"', false);
      out += s.slice(i, end);
      i = end;
    } else if (c === "$" && /[A-Za-z_$]/.test(next ?? "") && !(i > 0 && IDENT_CHAR.test(s[i - 1]))) {
      const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(s.slice(i));
      if (!m) { out += c; i++; continue; }
      const tag = m[0];
      const close = s.indexOf(tag, i + tag.length);
      if (close === -1) throw new CustomizationSqlError("A dollar-quoted string is not closed.");
      out += s.slice(i, close + tag.length);
      i = close + tag.length;
    } else if (c === "-" && next === "-") {
      const end = skipLineComment(s, i);
      out += s.slice(i, end);
      i = end;
    } else if (c === "/" && next === "*") {
      const end = skipBlockComment(s, i);
      out += s.slice(i, end);
      i = end;
    } else if (c === "%" && next === "(") {
      const m = /^%\(([A-Za-z_][A-Za-z0-9_]*)\)s/.exec(s.slice(i));
      if (!m) throw new CustomizationSqlError("A parameter must look like %(name)s.");
      out += param(i, i + m[0].length, m[1]);
      i += m[0].length;
    } else if (c === ":" && next === ":") {
      out += "::";
      i += 2;
    } else if (c === ":" && IDENT_START.test(next ?? "") && !(i > 0 && s[i - 1] === ":")) {
      let j = i + 1;
      while (j < s.length && IDENT_CHAR.test(s[j])) j++;
      out += param(i, j, s.slice(i + 1, j));
      i = j;
    } else if (c === ";") {
      sawTerminator = true;
      end = i;
      i++;
    } else {
      out += c;
      i++;
    }
  }
  if (!out.trim()) throw new CustomizationSqlError("The statement is empty.");
  return { sql: out.trim(), params, padded: padded + s.slice(copiedTo, end) };
}

function skipQuoted(s: string, start: number, quote: string, backslashEscapes: boolean): number {
  let i = start + 1;
  while (i < s.length) {
    if (backslashEscapes && s[i] === "\\") { i += 2; continue; }
    if (s[i] === quote) {
      if (s[i + 1] === quote) { i += 2; continue; }
      return i + 1;
    }
    i++;
  }
  throw new CustomizationSqlError(quote === "'" ? "A string literal is not closed." : "A quoted identifier is not closed.");
}

function skipLineComment(s: string, start: number): number {
  const nl = s.indexOf("\n", start);
  return nl === -1 ? s.length : nl + 1;
}

function skipBlockComment(s: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < s.length) {
    if (s[i] === "/" && s[i + 1] === "*") { depth++; i += 2; continue; }
    if (s[i] === "*" && s[i + 1] === "/") { depth--; i += 2; if (depth === 0) return i; continue; }
    i++;
  }
  throw new CustomizationSqlError("A /* comment */ is not closed.");
}

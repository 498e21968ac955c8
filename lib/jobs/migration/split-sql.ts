// Splits a migration script into statements at top-level semicolons, skipping those inside
// string literals ('...', E'...'), quoted identifiers, dollar-quoted bodies ($tag$...$tag$) and
// comments (-- and nested /* */). Comment-only pieces are dropped.

export function splitSql(script: string): string[] {
  const out: string[] = [];
  let start = 0;
  let i = 0;
  const n = script.length;
  while (i < n) {
    const c = script[i];
    const next = script[i + 1];
    if (c === "-" && next === "-") {
      const nl = script.indexOf("\n", i);
      i = nl < 0 ? n : nl + 1;
    } else if (c === "/" && next === "*") {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (script[i] === "/" && script[i + 1] === "*") {
          depth++;
          i += 2;
        } else if (script[i] === "*" && script[i + 1] === "/") {
          depth--;
          i += 2;
        } else i++;
      }
    } else if (c === "'") {
      const escapes = i > 0 && /[eE]/.test(script[i - 1]) && (i < 2 || !/[A-Za-z0-9_]/.test(script[i - 2]));
      i++;
      while (i < n) {
        if (escapes && script[i] === "\\") i += 2;
        else if (script[i] === "'" && script[i + 1] === "'") i += 2;
        else if (script[i] === "'") break;
        else i++;
      }
      i++;
    } else if (c === '"') {
      i++;
      while (i < n && !(script[i] === '"' && script[i + 1] !== '"')) i += script[i] === '"' ? 2 : 1;
      i++;
    } else if (c === "$" && (i === 0 || !/[A-Za-z0-9_]/.test(script[i - 1]))) {
      const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(script.slice(i, i + 70));
      if (m) {
        const end = script.indexOf(m[0], i + m[0].length);
        i = end < 0 ? n : end + m[0].length;
      } else i++;
    } else if (c === ";") {
      push(out, script.slice(start, i));
      start = ++i;
    } else i++;
  }
  push(out, script.slice(start));
  return out;
}

function push(out: string[], piece: string) {
  const stmt = piece.trim();
  if (stripComments(stmt).trim()) out.push(stmt);
}

function stripComments(s: string): string {
  return s.replace(/--[^\n]*/g, "").replace(/\/\*[\s\S]*?\*\//g, "");
}

/** `-- doppel: no-transaction` anywhere in the script runs each statement on its own (e.g. CREATE INDEX CONCURRENTLY). */
export function wantsTransaction(script: string): boolean {
  return !/^\s*--\s*doppel:\s*no-transaction\b/im.test(script);
}

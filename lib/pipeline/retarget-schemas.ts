// Definitions read from the source (catalog.ts) name the objects of the selected schemas
// unqualified, except where a same-named object of an earlier schema in search_path shadows
// them: with `auth` before `public`, a foreign key to public.users prints as
// `REFERENCES public.users(id)`. Before the swap the copies live in the staging schemas, so such
// a qualified name would bind to the previous target's table (and be dropped with it at the
// swap) or fail on a fresh target. This rewrites every schema qualifier `<source schema>.` of the
// given map to its staging schema. It walks SQL tokens, so string literals, dollar-quoted bodies
// (PL/pgSQL is bound when called, after the swap), comments and identifiers that are not a
// qualifier are left alone.

const IDENT_START = /[A-Za-z_\u0080-\uffff]/;
const IDENT_PART = /[A-Za-z0-9_$\u0080-\uffff]/;

export function retargetSchemas(sql: string, names: ReadonlyMap<string, string>): string {
  if (!names.size) return sql;
  const quote = (s: string) => `"${s.replaceAll('"', '""')}"`;
  let out = "";
  let i = 0;
  let lastSignificant = "";
  const n = sql.length;
  while (i < n) {
    const ch = sql[i];
    const start = i;
    if (ch === "'" || ((ch === "E" || ch === "e") && sql[i + 1] === "'" && !IDENT_PART.test(sql[i - 1] ?? " "))) {
      const escapes = ch !== "'";
      i += escapes ? 2 : 1;
      while (i < n) {
        if (escapes && sql[i] === "\\") i += 2;
        else if (sql[i] === "'" && sql[i + 1] === "'") i += 2;
        else if (sql[i] === "'") { i++; break; } else i++;
      }
      out += sql.slice(start, i);
      lastSignificant = "'";
      continue;
    }
    if (ch === "$" && !IDENT_PART.test(sql[i - 1] ?? " ")) {
      const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i, i + 70));
      if (m) {
        const end = sql.indexOf(m[0], i + m[0].length);
        i = end === -1 ? n : end + m[0].length;
        out += sql.slice(start, i);
        lastSignificant = "$";
        continue;
      }
    }
    if (ch === "-" && sql[i + 1] === "-") {
      const end = sql.indexOf("\n", i);
      i = end === -1 ? n : end;
      out += sql.slice(start, i);
      continue;
    }
    if (ch === "/" && sql[i + 1] === "*") {
      let depth = 0;
      while (i < n) {
        if (sql[i] === "/" && sql[i + 1] === "*") { depth++; i += 2; } else if (sql[i] === "*" && sql[i + 1] === "/") { depth--; i += 2; if (!depth) break; } else i++;
      }
      out += sql.slice(start, i);
      continue;
    }
    let ident: string | null = null;
    if (ch === '"') {
      i++;
      while (i < n) {
        if (sql[i] === '"' && sql[i + 1] === '"') i += 2;
        else if (sql[i] === '"') { i++; break; } else i++;
      }
      ident = sql.slice(start + 1, i - 1).replaceAll('""', '"');
    } else if (IDENT_START.test(ch) && !IDENT_PART.test(sql[i - 1] ?? " ")) {
      while (i < n && IDENT_PART.test(sql[i])) i++;
      ident = sql.slice(start, i).toLowerCase();
    }
    if (ident !== null) {
      const staging = names.get(ident);
      const qualifier = sql[i] === "." && lastSignificant !== ".";
      out += staging !== undefined && qualifier ? quote(staging) : sql.slice(start, i);
      lastSignificant = "a";
      continue;
    }
    out += ch;
    if (!/\s/.test(ch)) lastSignificant = ch;
    i++;
  }
  return out;
}

// Quoting for the few names and literals this module writes itself (definitions come from the
// server's own pg_get_* functions, already quoted).

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A literal that reads the same whatever standard_conforming_strings is (PostgreSQL's quote_literal). */
export function quoteLiteral(value: string): string {
  const body = value.replaceAll("'", "''");
  return value.includes("\\") ? `E'${body.replaceAll("\\", "\\\\")}'` : `'${body}'`;
}

/** pg_get_viewdef / pg_get_ruledef end with a semicolon; statements here are sent one at a time. */
export function stripSemicolon(sql: string): string {
  return sql.trim().replace(/;\s*$/, "");
}

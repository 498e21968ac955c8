// Text helpers for the statements this module writes. Names and literals it writes itself are
// quoted with qi/ql (../connect); definitions come from the server's own pg_get_* functions.

/** pg_get_viewdef / pg_get_ruledef end with a semicolon; statements here are sent one at a time. */
export function stripSemicolon(sql: string): string {
  return sql.trim().replace(/;\s*$/, "");
}

// Where a workflow validation message belongs in the editor. Tables are addressed by name, not
// by position, so the editor can attach a message to the right table however it sorts them:
//   ["tables", 2, "rules", "email"] -> "table:public.customers/rules/email"
// Shared by the save service (server) and the editor (browser): no imports.

export function tableKey(schema: string, table: string): string {
  return `table:${schema}.${table}`;
}

export function fieldKey(path: readonly PropertyKey[], tables: readonly { schema: string; table: string }[]): string {
  if (path[0] === "tables" && typeof path[1] === "number" && tables[path[1]]) {
    const t = tables[path[1]];
    return [tableKey(t.schema, t.table), ...path.slice(2).map(String)].join("/");
  }
  return path.map(String).join("/") || "form";
}

/** Messages for a table (any path under it), for its card. */
export function tableErrors(errors: Record<string, string[] | undefined>, schema: string, table: string): string[] {
  const key = tableKey(schema, table);
  return Object.entries(errors).flatMap(([k, v]) => (k === key || k.startsWith(`${key}/`)) && v ? v : []);
}

export function ruleErrorKey(schema: string, table: string, column: string): string {
  return `${tableKey(schema, table)}/rules/${column}`;
}

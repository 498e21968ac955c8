import type pg from "pg";

// A catalog snapshot of the user schemas of a database (tables, columns, indexes, constraints),
// taken before and after a migration; the diff says what was added, changed and dropped.
// Definitions come from PostgreSQL's own deparsers (format_type, pg_get_indexdef,
// pg_get_constraintdef), so equal text means an equal object.

export type SchemaSnapshot = {
  tables: Map<string, string>;
  columns: Map<string, string>;
  indexes: Map<string, string>;
  constraints: Map<string, string>;
};

export type DiffEntry = { name: string; before?: string; after?: string };
export type ObjectDiff = { added: DiffEntry[]; dropped: DiffEntry[]; changed: DiffEntry[] };
export type SchemaDiff = Record<keyof SchemaSnapshot, ObjectDiff>;

const USER_SCHEMA = `n.nspname NOT IN ('information_schema') AND n.nspname NOT LIKE 'pg\\_%'`;

export async function snapshotSchema(client: pg.ClientBase): Promise<SchemaSnapshot> {
  const q = async (sql: string) => new Map((await client.query<{ k: string; v: string }>(sql)).rows.map((r) => [r.k, r.v]));
  return {
    tables: await q(`SELECT format('%I.%I', n.nspname, c.relname) AS k,
                            CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'partitioned table' WHEN 'v' THEN 'view'
                                           WHEN 'm' THEN 'materialized view' ELSE 'foreign table' END AS v
                       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                      WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND ${USER_SCHEMA}`),
    columns: await q(`SELECT format('%I.%I.%I', n.nspname, c.relname, a.attname) AS k,
                             format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END
                               || COALESCE(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '') AS v
                        FROM pg_attribute a
                        JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                       WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND ${USER_SCHEMA}`),
    indexes: await q(`SELECT format('%I.%I', n.nspname, ci.relname) AS k, pg_get_indexdef(i.indexrelid) AS v
                        FROM pg_index i JOIN pg_class ci ON ci.oid = i.indexrelid JOIN pg_namespace n ON n.oid = ci.relnamespace
                       WHERE ${USER_SCHEMA}`),
    constraints: await q(`SELECT format('%I.%I.%I', n.nspname, c.relname, con.conname) AS k, pg_get_constraintdef(con.oid) AS v
                            FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                           WHERE ${USER_SCHEMA}`),
  };
}

function diffMaps(before: Map<string, string>, after: Map<string, string>): ObjectDiff {
  const d: ObjectDiff = { added: [], dropped: [], changed: [] };
  for (const [name, def] of after) {
    const old = before.get(name);
    if (old === undefined) d.added.push({ name, after: def });
    else if (old !== def) d.changed.push({ name, before: old, after: def });
  }
  for (const [name, def] of before) if (!after.has(name)) d.dropped.push({ name, before: def });
  for (const list of [d.added, d.dropped, d.changed]) list.sort((a, b) => a.name.localeCompare(b.name));
  return d;
}

export function diffSchemas(before: SchemaSnapshot, after: SchemaSnapshot): SchemaDiff {
  return {
    tables: diffMaps(before.tables, after.tables),
    columns: diffMaps(before.columns, after.columns),
    indexes: diffMaps(before.indexes, after.indexes),
    constraints: diffMaps(before.constraints, after.constraints),
  };
}

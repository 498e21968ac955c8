import type pg from "pg";

// Schemas that hold no selected table but that the selected tables need: partitions of a selected
// table (they follow their parent wherever they live), a sequence a default
// calls (`nextval('ids.global_id')`), an enum or domain type of a column, a function a CHECK,
// default or index expression calls, a collation — and what those need in turn (a domain's CHECK
// function, a function's argument types). Such schemas come along with the clone (they are
// staged and swapped like the selected ones). Other schemas whose objects use the selected
// tables (a reporting schema's views) are not copied and are listed in the report.
//
// Objects of extensions are left out (extensions are handled by schema-objects/extensions.ts),
// and so are tables of other schemas (a foreign key to one is reported by the plan).

export type DependencySchemas = {
  /** Schemas to clone besides the selected tables' own, in name order. */
  schemas: string[];
  /** Schemas not copied whose objects use the selected tables, for the report. */
  notCopied: { kind: string; name: string; reason: string }[];
};

export async function readDependencySchemas(c: pg.ClientBase, tables: { schema: string; table: string }[]): Promise<DependencySchemas> {
  const own = [...new Set(tables.map((t) => t.schema))];
  const { rows } = await c.query<{ schema: string }>(`
    WITH RECURSIVE sel AS (
      SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN unnest($1::text[], $2::text[]) AS t(s, r) ON n.nspname = t.s AND c.relname = t.r
      UNION SELECT i.inhrelid FROM pg_inherits i JOIN sel ON i.inhparent = sel.oid JOIN pg_class p ON p.oid = i.inhrelid WHERE p.relispartition
    ), seed(classid, objid) AS (
      SELECT 'pg_class'::regclass::oid, oid FROM sel
      UNION ALL SELECT 'pg_class'::regclass::oid, indexrelid FROM pg_index WHERE indrelid IN (SELECT oid FROM sel)
      UNION ALL SELECT 'pg_constraint'::regclass::oid, oid FROM pg_constraint WHERE conrelid IN (SELECT oid FROM sel) AND contype <> 'f'
      UNION ALL SELECT 'pg_attrdef'::regclass::oid, oid FROM pg_attrdef WHERE adrelid IN (SELECT oid FROM sel)
    ), walk(classid, objid) AS (
      SELECT classid, objid FROM seed
      UNION
      SELECT x.classid, x.objid FROM walk w, LATERAL (
        SELECT d.refclassid, d.refobjid FROM pg_depend d
        WHERE d.classid = w.classid AND d.objid = w.objid AND d.deptype IN ('n', 'a', 'i')
          AND d.refclassid IN ('pg_type'::regclass, 'pg_proc'::regclass, 'pg_class'::regclass, 'pg_collation'::regclass)
          -- relations are followed only from the seeds and composite types (their attributes' types)
          AND (w.classid <> 'pg_class'::regclass OR w.objid IN (SELECT oid FROM sel)
               OR w.objid IN (SELECT indexrelid FROM pg_index WHERE indrelid IN (SELECT oid FROM sel))
               OR (SELECT relkind FROM pg_class WHERE oid = w.objid) = 'c')
        UNION ALL
        -- a domain's CHECK constraints
        SELECT 'pg_constraint'::regclass::oid, con.oid FROM pg_constraint con WHERE w.classid = 'pg_type'::regclass AND con.contypid = w.objid
      ) x(classid, objid)
    )
    SELECT n.nspname AS schema FROM sel JOIN pg_class c ON c.oid = sel.oid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname <> ALL($1::text[])
    UNION
    SELECT DISTINCT n.nspname AS schema FROM walk w
    JOIN LATERAL (SELECT CASE w.classid
        WHEN 'pg_type'::regclass THEN (SELECT typnamespace FROM pg_type WHERE oid = w.objid)
        WHEN 'pg_proc'::regclass THEN (SELECT pronamespace FROM pg_proc WHERE oid = w.objid)
        WHEN 'pg_collation'::regclass THEN (SELECT collnamespace FROM pg_collation WHERE oid = w.objid)
        WHEN 'pg_class'::regclass THEN (SELECT relnamespace FROM pg_class WHERE oid = w.objid AND relkind IN ('S', 'c'))
      END AS nsp) o ON o.nsp IS NOT NULL
    JOIN pg_namespace n ON n.oid = o.nsp
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname <> ALL($1::text[])
      AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = w.classid AND e.objid = w.objid AND e.deptype = 'e')
    ORDER BY 1`, [tables.map((t) => t.schema), tables.map((t) => t.table)]);
  const schemas = rows.map((r) => r.schema);

  // Views, functions and triggers' functions in other schemas that use the selected tables.
  const { rows: users } = await c.query<{ schema: string; objects: string[] }>(`
    WITH sel AS (
      SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN unnest($1::text[], $2::text[]) AS t(s, r) ON n.nspname = t.s AND c.relname = t.r
    ), users AS (
      SELECT DISTINCT CASE d.classid WHEN 'pg_rewrite'::regclass THEN 'pg_class'::regclass::oid ELSE d.classid END AS classid,
        CASE d.classid WHEN 'pg_rewrite'::regclass THEN (SELECT ev_class FROM pg_rewrite WHERE oid = d.objid) ELSE d.objid END AS objid
      FROM pg_depend d WHERE d.refclassid = 'pg_class'::regclass AND d.refobjid IN (SELECT oid FROM sel)
        AND d.classid IN ('pg_rewrite'::regclass, 'pg_proc'::regclass) AND d.deptype = 'n'
    )
    SELECT o.schema, array_agg(pg_describe_object(u.classid, u.objid, 0) ORDER BY 1) AS objects
    FROM users u, LATERAL pg_identify_object(u.classid, u.objid, 0) o
    WHERE o.schema IS NOT NULL AND o.schema <> ALL($3::text[])
    GROUP BY o.schema ORDER BY o.schema`, [tables.map((t) => t.schema), tables.map((t) => t.table), [...own, ...schemas]]);
  const notCopied = users.map((u) => ({
    kind: "schema", name: u.schema,
    reason: `no selected table lives in it or depends on it, so it is not copied (it holds ${u.objects.join(", ")})`,
  }));
  return { schemas, notCopied };
}

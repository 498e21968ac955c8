import type pg from "pg";

// Catalog listings of a database's schema objects (everything outside extensions, in the given
// schemas), for comparing a twin with its source. `definitions: false` compares names only:
// pg_get_* output can be formatted differently by another major version.

export type CatalogListing = Record<string, string[]>;

export async function catalogListing(db: pg.ClientBase, schemas: string[], opts: { definitions: boolean }): Promise<CatalogListing> {
  await db.query("BEGIN");
  try {
    await db.query("SELECT set_config('search_path', '', true)");
    const def = (expr: string) => (opts.definitions ? `|| ' ' || ${expr}` : "");
    const notExt = (cat: string, oid: string) =>
      `NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '${cat}'::regclass AND e.objid = ${oid} AND e.deptype = 'e')`;
    const list = async (sql: string) => (await db.query<{ x: string }>(sql, [schemas])).rows.map((r) => r.x).sort();
    const rel = (kinds: string, extra = "") => list(`
      SELECT c.oid::regclass::text ${extra} AS x FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = ANY($1::text[]) AND c.relkind IN (${kinds}) AND ${notExt("pg_class", "c.oid")}`);
    return {
      views: await rel("'v'", def("pg_get_viewdef(c.oid)")),
      materializedViews: await rel("'m'", def("pg_get_viewdef(c.oid)")),
      sequences: await rel("'S'"),
      indexes: await rel("'i', 'I'", def("pg_get_indexdef(c.oid)")),
      functions: await list(`
        SELECT p.oid::regprocedure::text ${def("CASE WHEN p.prokind = 'a' THEN 'aggregate' ELSE pg_get_functiondef(p.oid) END")} AS x FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = ANY($1::text[]) AND ${notExt("pg_proc", "p.oid")}`),
      triggers: await list(`
        SELECT t.tgname || ' on ' || t.tgrelid::regclass::text ${def("pg_get_triggerdef(t.oid)")} || ' ' || t.tgenabled::text AS x
        FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ANY($1::text[]) AND NOT t.tgisinternal`),
      policies: await list(`
        SELECT p.polname || ' on ' || p.polrelid::regclass::text || ' ' || p.polcmd::text ${def("coalesce(pg_get_expr(p.polqual, p.polrelid), '')")} AS x
        FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ANY($1::text[])`),
      rowSecurity: await list(`
        SELECT c.oid::regclass::text || ' ' || c.relrowsecurity || ' ' || c.relforcerowsecurity AS x
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ANY($1::text[]) AND (c.relrowsecurity OR c.relforcerowsecurity)`),
      comments: await list(`
        SELECT pg_describe_object(d.classoid, d.objoid, d.objsubid) || ': ' || d.description AS x
        FROM pg_description d
        WHERE COALESCE((pg_identify_object(d.classoid, d.objoid, 0)).schema, CASE d.classoid
            WHEN 'pg_namespace'::regclass THEN (SELECT nspname FROM pg_namespace WHERE oid = d.objoid)
            WHEN 'pg_trigger'::regclass THEN (SELECT relnamespace::regnamespace::text FROM pg_class WHERE oid = (SELECT tgrelid FROM pg_trigger WHERE oid = d.objoid))
            WHEN 'pg_policy'::regclass THEN (SELECT relnamespace::regnamespace::text FROM pg_class WHERE oid = (SELECT polrelid FROM pg_policy WHERE oid = d.objoid))
          END) = ANY($1::text[])
          AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = d.classoid AND e.objid = d.objoid AND e.deptype = 'e')`),
      extensions: await list(`
        SELECT e.extname || ' in ' || n.nspname AS x FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
        WHERE e.extname <> 'plpgsql' AND n.nspname = ANY($1::text[])`),
    };
  } finally {
    await db.query("ROLLBACK");
  }
}

/** A listing without the entries that name any of the given objects (e.g. the skipped ones). */
export function withoutObjects(listing: CatalogListing, names: string[]): CatalogListing {
  const out: CatalogListing = {};
  for (const [k, v] of Object.entries(listing)) {
    out[k] = v.filter((x) => !names.some((n) => x === n || x.startsWith(`${n} `) || x.includes(` ${n}:`) || x.includes(` ${n} `)));
  }
  return out;
}

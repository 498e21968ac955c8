import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { catalogListing, withoutObjects } from "../../../test/scenarios/fidelity/catalog-listing";
import { withDatabase } from "../../../test/pg-server";
import { EngineError } from "../errors";
import {
  checkExtensions, extensionRelocationStatements, extensionSetupStatements, readSchemaObjects, readTargetInfo,
  schemaObjectStatements, stagingFunctionStatements, type SchemaObjects, type StatementOptions,
} from "./index";

// The module alone: read the fixture schema's objects from a source database, apply the
// statements to target databases that have the same tables (and data), compare catalog listings.

const FIXTURE = path.resolve(import.meta.dirname, "../../../test/scenarios/fidelity");
const TABLES = ["customers", "products", "orders", "order_items"].map((table) => ({ schema: "public", table }));
const SCOPE = { schemas: ["public"], tables: TABLES };
const SKIPPED = ["public.audit_entries()", "public.recent_audit", "public.recent_audit_count"];
const UNSELECTED = ["public.audit_log", "public.audit_log_pkey", "public.audit_log_id_seq"];

const suffix = randomBytes(4).toString("hex");
const role = `doppel_fid_reader_${suffix}`;
const created: { url: string; name: string }[] = [];

async function connect(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  return c;
}

async function createDb(adminUrl: string, label: string): Promise<string> {
  const name = `doppel_fid_${label}_${suffix}`;
  const admin = await connect(adminUrl);
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  created.push({ url: adminUrl, name });
  return withDatabase(adminUrl, name);
}

async function runSql(url: string, ...sql: string[]) {
  const c = await connect(url);
  try {
    for (const s of sql) await c.query(s);
  } finally {
    await c.end();
  }
}

const fixture = async () => ({
  schema: await readFile(path.join(FIXTURE, "schema.sql"), "utf8"),
  data: await readFile(path.join(FIXTURE, "data.sql"), "utf8"),
});

/** A target with the fixture's tables and data but none of the other objects (what the engine leaves). */
async function tablesOnlyTarget(adminUrl: string, label: string): Promise<string> {
  const url = await createDb(adminUrl, label);
  const { schema, data } = await fixture();
  await runSql(url, schema, `
    DO $$ DECLARE s text; BEGIN
      FOREACH s IN ARRAY ARRAY(
        SELECT format('DROP %s IF EXISTS %s CASCADE', CASE c.relkind WHEN 'v' THEN 'VIEW' ELSE 'MATERIALIZED VIEW' END, c.oid::regclass)
        FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('v', 'm')
          AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.objid = c.oid AND e.deptype = 'e')
        UNION ALL
        SELECT format('DROP ROUTINE IF EXISTS %s CASCADE', p.oid::regprocedure) FROM pg_proc p
        WHERE p.pronamespace = 'public'::regnamespace AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.objid = p.oid AND e.deptype = 'e')
        UNION ALL
        SELECT format('DROP POLICY %I ON %s', p.polname, p.polrelid::regclass) FROM pg_policy p) LOOP
        EXECUTE s;
      END LOOP;
    END $$`,
  "ALTER TABLE public.orders DISABLE ROW LEVEL SECURITY",
  "DROP TABLE public.audit_log",
  `DELETE FROM pg_description d WHERE d.objoid >= 16384
     AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = d.classoid AND e.objid = d.objoid AND e.deptype = 'e')`,
  data.replace(/INSERT INTO public\.audit_log[^;]*;/, "").replace(/REFRESH MATERIALIZED VIEW[^;]*;/, ""));
  return url;
}

async function applyStatements(url: string, objects: SchemaObjects, opts: Omit<StatementOptions, "targetUser">) {
  const c = await connect(url);
  try {
    const info = await readTargetInfo(c);
    const out = schemaObjectStatements(objects, { targetUser: info.user, targetRoles: info.roles, targetServerMajor: info.serverMajor, ...opts });
    await checkExtensions(c, objects);
    await c.query("BEGIN");
    for (const s of [...out.statements, ...out.refreshMaterializedViews]) await c.query(s);
    await c.query("COMMIT");
    return out;
  } finally {
    await c.end();
  }
}

async function readObjects(url: string) {
  const c = await connect(url);
  try {
    await c.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const objects = await readSchemaObjects(c, SCOPE);
    const { rows: [sp] } = await c.query("SHOW search_path");
    await c.query("COMMIT");
    return { objects, searchPathAfter: sp.search_path as string };
  } finally {
    await c.end();
  }
}

let sourceUrl = "";
let objects: SchemaObjects;

beforeAll(async () => {
  const adminUrl = inject("adminUrl");
  sourceUrl = await createDb(adminUrl, "src");
  const { schema, data } = await fixture();
  await runSql(adminUrl, `CREATE ROLE ${role} NOLOGIN`);
  await runSql(sourceUrl, schema, data,
    `GRANT SELECT ON public.order_lines, public.customer_orders TO ${role}`,
    `GRANT SELECT (full_name) ON public.customers TO ${role}`,
    "REVOKE EXECUTE ON FUNCTION public.customer_lifetime_value(bigint) FROM PUBLIC",
    `ALTER VIEW public.top_customers OWNER TO ${role}`);
  const read = await readObjects(sourceUrl);
  objects = read.objects;
  expect(read.searchPathAfter).toBe('"$user", public');
});

afterAll(async () => {
  for (const db of created.reverse()) {
    const admin = await connect(db.url);
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${db.name} WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  }
  await runSql(inject("adminUrl"), `DROP ROLE IF EXISTS ${role}`);
});

describe("schema objects on a target with the same tables", () => {
  it("recreates every object of the selected schema and reports the ones over unselected tables", async () => {
    const targetUrl = await tablesOnlyTarget(inject("adminUrl"), "dst");
    const out = await applyStatements(targetUrl, objects, { keepOwnership: false });

    expect(out.skipped).toEqual([
      { kind: "function", name: "public.audit_entries()", reason: "it uses table public.audit_log, which is not selected" },
      { kind: "view", name: "public.recent_audit", reason: "it uses table public.audit_log, which is not selected" },
      { kind: "view", name: "public.recent_audit_count", reason: "it depends on view public.recent_audit, which is skipped" },
    ]);
    const src = await connect(sourceUrl);
    const dst = await connect(targetUrl);
    try {
      const expected = withoutObjects(await catalogListing(src, ["public"], { definitions: true }), [...SKIPPED, ...UNSELECTED]);
      const actual = await catalogListing(dst, ["public"], { definitions: true });
      expect(actual).toEqual(expected);
      expect(actual.views).toHaveLength(3);
      expect(actual.functions).toHaveLength(7);
      expect(actual.triggers).toHaveLength(4);
      expect(actual.comments).toHaveLength(11);

      // The objects work: views, the refreshed materialized view, functions, the procedure, the trigger.
      const q = async (c: pg.Client, sql: string) => (await c.query(sql)).rows;
      for (const sql of [
        "SELECT * FROM public.customer_orders ORDER BY id",
        "SELECT * FROM public.top_customers",
        "SELECT count(*)::int AS n, sum(quantity)::int AS q FROM public.order_lines",
        "SELECT * FROM public.product_sales ORDER BY id",
        "SELECT public.customer_lifetime_value(8) AS v, public.order_count(8) AS n",
      ]) {
        expect(await q(dst, sql), sql).toEqual(await q(src, sql));
      }
      expect((await q(dst, "SELECT count(*)::int AS n FROM public.product_sales"))[0].n).toBeGreaterThan(0);
      await dst.query("BEGIN");
      await dst.query("CALL public.cancel_order(5)");
      expect((await q(dst, "SELECT DISTINCT status FROM public.orders WHERE id = 5"))[0].status).toBe("cancelled");
      await dst.query("UPDATE public.customers SET phone = phone WHERE id = 1");
      const [{ fresh }] = await q(dst, "SELECT updated_at > now() - interval '1 minute' AS fresh FROM public.customers WHERE id = 1");
      expect(fresh).toBe(true);
      await dst.query("ROLLBACK");

      // Default mode: source roles become the target user; PUBLIC's revoked EXECUTE stays revoked.
      const [acl] = await q(dst, `SELECT
        (SELECT relacl::text FROM pg_class WHERE oid = 'public.order_lines'::regclass) AS view_acl,
        (SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = 'public.top_customers'::regclass) AS owner,
        has_function_privilege('public', 'public.customer_lifetime_value(bigint)', 'EXECUTE') AS public_exec`);
      expect(acl.view_acl ?? "").not.toContain(role);
      expect(acl.owner).not.toBe(role);
      expect(acl.public_exec).toBe(false);
    } finally {
      await src.end();
      await dst.end();
    }
  });

  it("keeps owners and grantees that exist on the target when asked", async () => {
    const targetUrl = await tablesOnlyTarget(inject("adminUrl"), "keep");
    await applyStatements(targetUrl, objects, { keepOwnership: true });
    const dst = await connect(targetUrl);
    try {
      const { rows: [r] } = await dst.query(`SELECT
        pg_get_userbyid((SELECT relowner FROM pg_class WHERE oid = 'public.top_customers'::regclass)) AS owner,
        has_table_privilege($1, 'public.order_lines', 'SELECT') AS can_read_view,
        has_column_privilege($1, 'public.customers', 'full_name', 'SELECT') AS can_read_name,
        has_column_privilege($1, 'public.customers', 'email', 'SELECT') AS can_read_email`, [role]);
      expect(r).toEqual({ owner: role, can_read_view: true, can_read_name: true, can_read_email: false });
    } finally {
      await dst.end();
    }
  });

  it("works from one PostgreSQL major version to another", async (ctx) => {
    const altUrl = inject("altAdminUrl");
    if (!altUrl) return ctx.skip("no server of another major version is available");
    const targetUrl = await tablesOnlyTarget(altUrl, "alt");
    const out = await applyStatements(targetUrl, objects, { keepOwnership: false });
    expect(out.skipped.map((s) => s.name)).toEqual(SKIPPED);
    const src = await connect(sourceUrl);
    const dst = await connect(targetUrl);
    try {
      const expected = withoutObjects(await catalogListing(src, ["public"], { definitions: false }), [...SKIPPED, ...UNSELECTED]);
      expect(await catalogListing(dst, ["public"], { definitions: false })).toEqual(expected);
      const sql = "SELECT id, full_name, lifetime_value FROM public.top_customers";
      expect((await dst.query(sql)).rows).toEqual((await src.query(sql)).rows);
    } finally {
      await src.end();
      await dst.end();
    }
  });
});

describe("extensions", () => {
  it("names an extension the target does not have, before anything is written", async () => {
    const targetUrl = await createDb(inject("adminUrl"), "noext");
    const fake: SchemaObjects = {
      ...objects,
      extensions: [{ name: "doppel_no_such_extension", schema: "public", version: "1.0", relocatable: true,
        usedBy: ["column email of table public.customers"], objectKeys: [], neededByTables: true }],
    };
    const c = await connect(targetUrl);
    try {
      const err = await checkExtensions(c, fake).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EngineError);
      expect((err as EngineError).code).toBe("EXTENSION_MISSING");
      expect((err as EngineError).message).toBe(
        'Extension "doppel_no_such_extension" is used by column email of table public.customers but is not available on the target server.');
      await checkExtensions(c, objects); // citext and plpgsql are available
    } finally {
      await c.end();
    }
  });

  it("refuses an extension installed in another schema on the target than on the source", async () => {
    const targetUrl = await createDb(inject("adminUrl"), "extelse");
    await runSql(targetUrl, "CREATE SCHEMA other", "CREATE EXTENSION citext SCHEMA other");
    const c = await connect(targetUrl);
    try {
      const err = await checkExtensions(c, objects).catch((e: unknown) => e);
      expect((err as EngineError).code).toBe("EXTENSION_MISSING");
      expect((err as EngineError).message).toMatch(/^Extension "citext" is installed in schema "other" on the target but in schema "public" on the source/);
    } finally {
      await c.end();
    }
  });

  it("an extension in a replaced schema survives the swap (moved, never dropped with the old schema)", async () => {
    // The target as a previous clone left it: citext installed in public, a table using it.
    const targetUrl = await createDb(inject("adminUrl"), "swap");
    await runSql(targetUrl, "CREATE EXTENSION citext SCHEMA public",
      "CREATE TABLE public.customers (id int PRIMARY KEY, email public.citext)", "INSERT INTO public.customers VALUES (1, 'OLD@x.test')");
    const c = await connect(targetUrl);
    try {
      // The engine's staging: tables created with the type as found (OID of public.citext).
      expect(await extensionSetupStatements(c, objects, { public: "doppel_stage" })).toEqual([]);
      await c.query("CREATE SCHEMA doppel_stage");
      await c.query("CREATE TABLE doppel_stage.customers (id int PRIMARY KEY, email public.citext)");
      await c.query("INSERT INTO doppel_stage.customers VALUES (1, 'New@x.test'), (2, 'other@x.test')");

      await c.query("BEGIN");
      for (const s of await extensionRelocationStatements(c, [{ schema: "public", stagingSchema: "doppel_stage" }])) await c.query(s);
      await c.query("ALTER SCHEMA public RENAME TO doppel_old");
      await c.query("ALTER SCHEMA doppel_stage RENAME TO public");
      await c.query("COMMIT");
      await c.query("DROP SCHEMA doppel_old CASCADE");

      const { rows } = await c.query(`SELECT e.extname, n.nspname, format_type(a.atttypid, a.atttypmod) AS type,
          (SELECT count(*)::int FROM public.customers WHERE email = 'NEW@X.TEST') AS matches
        FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
        JOIN pg_attribute a ON a.attrelid = 'public.customers'::regclass AND a.attname = 'email'
        WHERE e.extname = 'citext'`);
      expect(rows).toEqual([{ extname: "citext", nspname: "public", type: "citext", matches: 1 }]);
    } finally {
      await c.end();
    }
  });

  it("on a fresh target, a missing extension is created in the staging schema that becomes its schema", async () => {
    const targetUrl = await createDb(inject("adminUrl"), "fresh");
    const c = await connect(targetUrl);
    try {
      expect(await extensionSetupStatements(c, objects, { public: "doppel_stage" }))
        .toEqual(['CREATE EXTENSION IF NOT EXISTS "citext" SCHEMA "doppel_stage"']);
      expect(await extensionSetupStatements(c, objects, {}))
        .toEqual(['CREATE SCHEMA IF NOT EXISTS "public"', 'CREATE EXTENSION IF NOT EXISTS "citext" SCHEMA "public"']);
    } finally {
      await c.end();
    }
  });
});

describe("functions the tables use", () => {
  it("are created in staging before the tables, so CHECKs and defaults survive the swap", async () => {
    // Source: a domain, a SQL-standard function in a CHECK (argument of the domain type), a
    // PL/pgSQL function as a column default.
    const ddl = [
      "CREATE DOMAIN public.code_t AS text CHECK (VALUE ~ '^[A-Z0-9]+$')",
      "CREATE FUNCTION public.valid_code(c public.code_t) RETURNS boolean LANGUAGE sql IMMUTABLE RETURN length(c) = 8",
      "CREATE FUNCTION public.new_code() RETURNS public.code_t LANGUAGE plpgsql AS $$BEGIN RETURN upper(substr(md5(random()::text), 1, 8)); END$$",
      "CREATE TABLE public.vouchers (id int PRIMARY KEY, code public.code_t NOT NULL DEFAULT public.new_code() CONSTRAINT code_valid CHECK (public.valid_code(code)))",
    ];
    const src = await createDb(inject("adminUrl"), "fnsrc");
    await runSql(src, ...ddl, "INSERT INTO public.vouchers (id) SELECT generate_series(1, 3)");
    const c = await connect(src);
    let objs: SchemaObjects;
    try {
      await c.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      objs = await readSchemaObjects(c, { schemas: ["public"], tables: [{ schema: "public", table: "vouchers" }] });
      await c.query("COMMIT");
    } finally {
      await c.end();
    }
    expect(objs.functionsNeededByTables.map((k) => objs.functions.find((f) => f.key === k)!.name).sort())
      .toEqual(["public.new_code()", "public.valid_code(public.code_t)"]);
    const staged = stagingFunctionStatements(objs, { public: "doppel_stage" });
    expect(staged.slice(1).map((sql) => sql.split("\n")[0])).toEqual([
      'CREATE OR REPLACE FUNCTION "doppel_stage".new_code()',
      'CREATE OR REPLACE FUNCTION "doppel_stage".valid_code(c code_t)',
    ]);

    // Target: a previous twin with the same objects in public (what the new ones must not bind to).
    const dstUrl = await createDb(inject("adminUrl"), "fndst");
    await runSql(dstUrl, ...ddl);
    const dst = await connect(dstUrl);
    try {
      // The engine's staging, in its order: schema, types, (these functions), tables; unqualified DDL.
      await dst.query("BEGIN");
      await dst.query("CREATE SCHEMA doppel_stage");
      await dst.query('SET LOCAL search_path TO "doppel_stage", "public"');
      await dst.query("CREATE DOMAIN code_t AS text CHECK (VALUE ~ '^[A-Z0-9]+$')");
      for (const sql of staged) await dst.query(sql);
      await dst.query("CREATE TABLE doppel_stage.vouchers (id int PRIMARY KEY, code code_t NOT NULL CONSTRAINT code_valid CHECK (valid_code(code)))");
      await dst.query("INSERT INTO doppel_stage.vouchers VALUES (1, 'ABCDEFGH')");
      await dst.query("COMMIT");
      // The swap.
      await dst.query("BEGIN");
      await dst.query("ALTER SCHEMA public RENAME TO doppel_old");
      await dst.query("ALTER SCHEMA doppel_stage RENAME TO public");
      await dst.query("ALTER TABLE public.vouchers ALTER COLUMN code SET DEFAULT public.new_code()");
      const out = schemaObjectStatements(objs, { targetUser: "postgres", keepOwnership: false });
      for (const sql of out.statements) await dst.query(sql);
      await dst.query("COMMIT");
      await dst.query("DROP SCHEMA doppel_old CASCADE");

      const { rows: [r] } = await dst.query(`SELECT
        (SELECT count(*)::int FROM pg_constraint WHERE conrelid = 'public.vouchers'::regclass AND conname = 'code_valid') AS checks,
        (SELECT count(*)::int FROM pg_proc WHERE pronamespace = 'public'::regnamespace) AS functions`);
      expect(r).toEqual({ checks: 1, functions: 2 });
      await dst.query("INSERT INTO public.vouchers (id) VALUES (2)");
      await expect(dst.query("INSERT INTO public.vouchers VALUES (3, 'SHORT')")).rejects.toThrow(/code_valid/);
    } finally {
      await dst.end();
    }
  });
});

import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { runClone } from "../../lib/pipeline/run-clone";
import type { CloneReport } from "../../lib/pipeline/types";
import type { TPgConnection } from "../../lib/schemas/connection";
import { withDatabase } from "../pg-server";
import { catalogListing, withoutObjects } from "./fidelity/catalog-listing";

// Issue 6: a redacting clone carries the whole schema an application needs. Source: a small
// shop (views over several tables, a view over a view, a materialized view, PL/pgSQL and
// SQL-standard functions, a procedure, an updated_at trigger, a partitioned table, enum and
// domain types, a generated tsvector column with its GIN index, RLS, comments, citext in public)
// plus a view over a table the workflow does not select.

const DIR = path.resolve(import.meta.dirname, "fidelity");
const SKIPPED = ["public.audit_entries()", "public.recent_audit", "public.recent_audit_count"];
const UNSELECTED = ["public.audit_log", "public.audit_log_pkey", "public.audit_log_id_seq"];
const suffix = randomBytes(4).toString("hex");
const databases: { adminUrl: string; name: string }[] = [];

function connection(url: string): TPgConnection {
  const u = new URL(url);
  return {
    host: u.hostname, port: Number(u.port || 5432), database: decodeURIComponent(u.pathname.slice(1)),
    user: decodeURIComponent(u.username), password: decodeURIComponent(u.password), tlsMode: "disable",
  };
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function createDb(adminUrl: string, label: string): Promise<string> {
  const name = `doppel_fidsc_${label}_${suffix}`;
  await withClient(adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  databases.push({ adminUrl, name });
  return withDatabase(adminUrl, name);
}

async function clone(sourceUrl: string, targetUrl: string): Promise<CloneReport> {
  const workflow = JSON.parse(await readFile(path.join(DIR, "workflow.json"), "utf8"));
  return runClone({ ...workflow, source: connection(sourceUrl), outputs: { target: { connection: connection(targetUrl) } } });
}

const rows = async (c: pg.Client, sql: string) => (await c.query(sql)).rows;

let sourceUrl = "";

beforeAll(async () => {
  sourceUrl = await createDb(inject("adminUrl"), "src");
  const [schema, data] = await Promise.all(["schema.sql", "data.sql"].map((f) => readFile(path.join(DIR, f), "utf8")));
  await withClient(sourceUrl, async (c) => {
    await c.query(schema);
    await c.query(data);
  });
});

afterAll(async () => {
  for (const db of databases.reverse()) {
    await withClient(db.adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${db.name} WITH (FORCE)`));
  }
});

describe("twin fidelity scenario", () => {
  it("the twin has the source's views, functions, triggers, sequences and indexes, working on redacted data", async () => {
    const targetUrl = await createDb(inject("adminUrl"), "dst");
    // A previous twin: citext already installed in public, which the swap renames away.
    await withClient(targetUrl, (c) => c.query("CREATE EXTENSION citext SCHEMA public; CREATE TABLE public.customers (id int, email public.citext)"));
    const report = await clone(sourceUrl, targetUrl);

    expect(report.skipped).toEqual(expect.arrayContaining([
      { kind: "function", name: "public.audit_entries()", reason: "it uses table public.audit_log, which is not selected" },
      { kind: "view", name: "public.recent_audit", reason: "it uses table public.audit_log, which is not selected" },
      { kind: "view", name: "public.recent_audit_count", reason: "it depends on view public.recent_audit, which is skipped" },
    ]));

    await withClient(sourceUrl, (src) => withClient(targetUrl, async (dst) => {
      const expected = withoutObjects(await catalogListing(src, ["public"], { definitions: true }), [...SKIPPED, ...UNSELECTED]);
      const actual = await catalogListing(dst, ["public"], { definitions: true });
      for (const kind of ["views", "materializedViews", "functions", "triggers", "sequences", "indexes", "policies", "rowSecurity", "comments", "extensions"]) {
        expect(actual[kind], kind).toEqual(expected[kind]);
      }
      expect(actual.views).toHaveLength(3);
      expect(actual.materializedViews).toHaveLength(1);
      expect([actual.functions, actual.triggers, actual.sequences, actual.indexes, actual.policies, actual.comments].map((l) => l.length))
        .toEqual([7, 4, 5, 12, 1, 11]);
      expect(await rows(dst, "SELECT last_value::int AS v FROM public.invoice_number_seq")).toEqual([{ v: 1004 }]);

      // Views are computed from the redacted rows: the same customers and totals, no source e-mail or name.
      const sql = "SELECT id, full_name, email::text AS email, orders::int AS orders, lifetime_value FROM public.customer_orders ORDER BY id";
      const [srcView, dstView] = [await rows(src, sql), await rows(dst, sql)];
      expect(dstView).toHaveLength(200);
      expect(dstView.map((r) => [r.id, r.orders, r.lifetime_value])).toEqual(srcView.map((r) => [r.id, r.orders, r.lifetime_value]));
      const srcEmails = new Set(srcView.map((r) => r.email));
      const srcNames = new Set(srcView.map((r) => r.full_name));
      expect(dstView.filter((r) => srcEmails.has(r.email) || srcNames.has(r.full_name))).toEqual([]);
      const [lines] = await rows(dst, `SELECT count(*)::int AS n, count(c.id)::int AS matched FROM public.order_lines ol
        LEFT JOIN public.customers c ON c.email = ol.email`);
      expect(lines).toEqual({ n: 3000, matched: 3000 });
      expect(await rows(dst, "SELECT id, lifetime_value FROM public.top_customers")).toEqual(await rows(src, "SELECT id, lifetime_value FROM public.top_customers"));

      // The materialized view was refreshed on the twin, from the loaded rows.
      const mv = "SELECT id, name, units::int AS units, revenue FROM public.product_sales ORDER BY id";
      expect(await rows(dst, mv)).toEqual(await rows(src, mv));
      expect((await rows(dst, mv)).length).toBeGreaterThan(0);

      // The updated_at trigger was created after the load: loaded values are the source's.
      const ts = "SELECT id, updated_at FROM public.customers ORDER BY id";
      expect(await rows(dst, ts)).toEqual(await rows(src, ts));

      // Functions, the procedure and the trigger work on the twin.
      const fn = "SELECT public.customer_lifetime_value(8) AS v, public.order_count(8)::int AS n";
      const [value] = await rows(dst, fn);
      expect(value).toEqual((await rows(src, fn))[0]);
      expect(value.n).toBeGreaterThan(0);
      await dst.query("BEGIN");
      await dst.query("CALL public.cancel_order(5)");
      expect(await rows(dst, "SELECT DISTINCT status FROM public.orders WHERE id = 5")).toEqual([{ status: "cancelled" }]);
      await dst.query("UPDATE public.customers SET phone = NULL WHERE id = 1");
      const [{ fresh }] = await rows(dst, "SELECT updated_at > now() - interval '1 minute' AS fresh FROM public.customers WHERE id = 1");
      expect(fresh).toBe(true);
      // The default and the CHECK of stock call user functions, which came along with the table.
      const [{ sku }] = await rows(dst, "INSERT INTO public.stock (quantity) VALUES (1) RETURNING sku");
      expect(sku).toMatch(/^SKU-\d{6}$/);
      await dst.query("SAVEPOINT bad_sku");
      expect(await dst.query("INSERT INTO public.stock (sku, quantity) VALUES ('nope', 1)").then(() => null, (e) => e.code)).toBe("23514");
      await dst.query("ROLLBACK TO SAVEPOINT bad_sku");
      expect(await rows(dst, "SELECT count(*)::int AS n FROM public.stock")).toEqual([{ n: 11 }]);
      await dst.query("ROLLBACK");

      // The generated tsvector column and its GIN index came along and answer searches.
      const search = "SELECT count(*)::int AS n FROM public.products WHERE search @@ to_tsquery('english', 'sturdy')";
      expect(await rows(dst, search)).toEqual(await rows(src, search));
      expect(await rows(dst, "SELECT to_regclass('public.recent_audit') AS v, to_regclass('public.audit_log') AS t")).toEqual([{ v: null, t: null }]);
    }));
  });

  it("works into a target of another PostgreSQL major version", async (ctx) => {
    const altUrl = inject("altAdminUrl");
    if (!altUrl) return ctx.skip("no server of another major version is available");
    const targetUrl = await createDb(altUrl, "alt");
    const report = await clone(sourceUrl, targetUrl);
    expect(report.skipped.map((s) => s.name)).toEqual(expect.arrayContaining(SKIPPED));
    await withClient(sourceUrl, (src) => withClient(targetUrl, async (dst) => {
      const expected = withoutObjects(await catalogListing(src, ["public"], { definitions: false }), [...SKIPPED, ...UNSELECTED]);
      expect(await catalogListing(dst, ["public"], { definitions: false })).toEqual(expected);
      const sql = "SELECT id, lifetime_value FROM public.top_customers";
      expect(await rows(dst, sql)).toEqual(await rows(src, sql));
    }));
  });
});

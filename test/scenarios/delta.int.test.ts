import { afterAll, describe, expect, inject, it } from "vitest";
import pg from "pg";
import { runClone } from "../../lib/pipeline/run-clone";
import type { CloneReport } from "../../lib/pipeline/types";
import type { TWorkflowDefinitionInput } from "../../lib/schemas/workflow";
import { createDb, definition, loadScenario, stagingSchemas, withClient, type Db } from "./harness";

// Delta updates (issue 11): a first full run, changes on the source, a delta run; the twin must
// equal a fresh full clone of the same source (ignoring source_primary_key), with the same fakes.

const TABLES = ["customers", "orders", "order_lines", "countries", "audit_notes"];
const qi = (s: string) => `"${s.replaceAll('"', '""')}"`;

/** Every table's rows as sorted texts over the source's columns (source_primary_key left out). */
async function twinRows(url: string): Promise<Record<string, string[]>> {
  return withClient(url, async (c) => {
    const out: Record<string, string[]> = {};
    for (const t of TABLES) {
      const { rows } = await c.query({ text: `SELECT attname FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND attname <> 'source_primary_key' ORDER BY attnum`, values: [t], rowMode: "array" });
      const cols = rows.map((r) => qi(r[0] as string)).join(", ");
      out[t] = (await c.query({ text: `SELECT ROW(${cols})::text FROM ${qi(t)}`, rowMode: "array" })).rows.map((r) => r[0] as string).sort();
    }
    return out;
  });
}

const byTable = (r: CloneReport, t: string) => r.tables.find((x) => x.table === t)!;

describe("scenario: delta updates", () => {
  const dbs: Db[] = [];
  afterAll(async () => {
    for (const d of dbs) await d.drop();
  });
  const db = async (p: string) => {
    const d = await createDb(inject("adminUrl"), p);
    dbs.push(d);
    return d;
  };
  const deltaDef = async (source: Db, target: Db, vars = { CUSTOMERS: 300, ORDERS: 600 }): Promise<TWorkflowDefinitionInput> => {
    const wf = await loadScenario("delta", source, vars);
    return definition(wf, source, { target: { connection: target.conn, delta: { overlapSeconds: 0 } } });
  };
  const withTarget = (def: TWorkflowDefinitionInput, target: Db): TWorkflowDefinitionInput => ({ ...def, outputs: { target: { connection: target.conn, delta: { overlapSeconds: 0 } } } });

  it("applies inserts, updates and deletes so that the twin equals a fresh full clone", async () => {
    const [source, twin, fresh] = [await db("scn_delta_src"), await db("scn_delta_twin"), await db("scn_delta_fresh")];
    const def = await deltaDef(source, twin);
    // A materialized view over a changed table (through a view): refreshed by the delta run, as a full run's swap does.
    await withClient(source.url, (c) => c.query("CREATE VIEW customer_tiers_v AS SELECT tier FROM customers; CREATE MATERIALIZED VIEW tier_counts AS SELECT tier, count(*)::int AS n FROM customer_tiers_v GROUP BY tier"));
    const first = await runClone(def);
    expect(first.delta).toMatchObject({ run: "full", reason: "first run of delta updates into this target" });
    expect(byTable(first, "customers")).toMatchObject({ mode: "full", rowsInserted: 300 });

    await withClient(twin.url, async (c) => {
      // source_primary_key holds the twin's (hashed) key, never the source's, and is unique-indexed.
      const { rows } = await c.query("SELECT count(*)::int AS n, count(*) FILTER (WHERE source_primary_key = id::text)::int AS same FROM customers");
      expect(rows[0]).toEqual({ n: 300, same: 300 });
      await withClient(source.url, async (s) => {
        const src = new Set((await s.query({ text: "SELECT id::text FROM customers", rowMode: "array" })).rows.map((r) => r[0]));
        const spk = (await c.query({ text: "SELECT source_primary_key FROM customers", rowMode: "array" })).rows.map((r) => r[0]);
        expect(spk.filter((k) => src.has(k)).length).toBeLessThan(3);
      });
      // A composite key, one of its columns hashed: the quoted redacted values.
      const lines = await c.query("SELECT count(*) FILTER (WHERE source_primary_key = quote_literal(order_id::text) || ',' || quote_literal(line::text))::int AS ok, count(*) FILTER (WHERE line BETWEEN 1 AND 3)::int AS raw FROM order_lines");
      expect(lines.rows[0]).toEqual({ ok: 1800, raw: 0 });
      const idx = await c.query("SELECT count(*)::int AS n FROM pg_index x WHERE x.indisunique AND x.indrelid = 'order_lines'::regclass AND x.indkey::text = (SELECT attnum::text FROM pg_attribute WHERE attrelid = 'order_lines'::regclass AND attname = 'source_primary_key')");
      expect(idx.rows[0].n).toBe(1);
      // An application insert into the twin still works: source_primary_key is generated.
      await c.query("BEGIN; INSERT INTO countries VALUES ('XX', 'Nowhere'); ROLLBACK");
    });

    await withClient(source.url, async (c) => {
      await c.query(`
        INSERT INTO customers (id, email, full_name) SELECT g, 'new' || g || '@example.com', 'New ' || g FROM generate_series(1001, 1010) g;
        UPDATE customers SET tier = 'platinum', updated_at = now() WHERE id IN (3, 4, 5);
        UPDATE orders SET customer_id = 1001, updated_at = now() WHERE id = 10;
        INSERT INTO orders (id, customer_id, total) VALUES (5001, 1002, 9.99);
        INSERT INTO order_lines (order_id, line, sku, qty) VALUES (5001, 1, 'SKU-NEW', 4);
        UPDATE order_lines SET qty = 99, updated_at = now() AT TIME ZONE 'UTC' WHERE order_id = 2 AND line = 1;
        DELETE FROM orders WHERE id IN (20, 21);
        DELETE FROM customers WHERE id = 300 AND NOT EXISTS (SELECT 1 FROM orders WHERE customer_id = 300);
        DELETE FROM orders WHERE customer_id = 299; DELETE FROM customers WHERE id = 299;
        UPDATE countries SET name = 'Italia' WHERE code = 'IT'; INSERT INTO countries VALUES ('ES', 'Spain'); DELETE FROM countries WHERE code = 'FR';
        INSERT INTO audit_notes (note) VALUES ('third');`);
    });
    const second = await runClone(def, { deltaState: first.delta!.tables });
    expect(second.delta?.run).toBe("delta");
    expect(byTable(second, "customers")).toMatchObject({ mode: "delta", rowsInserted: 10, rowsUpdated: 3, rowsDeleted: 1, watermark: { from: first.delta!.tables[0].watermark } });
    expect(byTable(second, "orders")).toMatchObject({ mode: "delta", rowsInserted: 1, rowsUpdated: 1, rowsDeleted: 4 });
    expect(byTable(second, "order_lines")).toMatchObject({ mode: "delta", rowsInserted: 1, rowsUpdated: 1, rowsDeleted: 12 });
    expect(byTable(second, "countries")).toMatchObject({ mode: "full", fullReason: "no change column is set for this table", rowsInserted: 1, rowsUpdated: 1, rowsDeleted: 1 });
    expect(byTable(second, "audit_notes")).toMatchObject({ mode: "full", fullReason: "the table has no primary key", rowsInserted: 3 });
    // Only changed rows were read.
    expect(byTable(second, "customers").rowsRead).toBe(13);

    const full = await runClone(withTarget(def, fresh));
    expect(full.delta?.run).toBe("full");
    const [a, b] = [await twinRows(twin.url), await twinRows(fresh.url)];
    // orders included: its trigger, had it fired on the twin, would have stamped other times.
    for (const t of TABLES) expect(a[t], t).toEqual(b[t]);
    const tiers = (url: string) => withClient(url, async (c) => (await c.query("SELECT tier, n FROM tier_counts ORDER BY tier")).rows);
    expect(await tiers(twin.url)).toEqual(await tiers(fresh.url));
    expect((await tiers(twin.url)).find((r) => r.tier === "platinum")).toEqual({ tier: "platinum", n: 3 });
    await withClient(twin.url, async (c) => {
      expect((await c.query("SELECT tgenabled FROM pg_trigger WHERE tgname = 'orders_stamp'")).rows).toEqual([{ tgenabled: "O" }]);
    });
  });

  it("deletes what the source lost, and twin rows it never had, by probing key ranges (dense keys) or merging keys (sparse ones)", async () => {
    const [source, twin] = [await db("scn_delta_keys_src"), await db("scn_delta_keys_twin")];
    await withClient(source.url, (c) => c.query(`
      CREATE TABLE dense (id integer PRIMARY KEY, v text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now());
      CREATE TABLE sparse (id bigint PRIMARY KEY, v text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now());
      INSERT INTO dense (id, v) SELECT g, 'd' || g FROM generate_series(1, 2000) g;
      -- Keys far apart (the key range is mostly empty), some beyond 2^53.
      INSERT INTO sparse (id, v) SELECT g * 1000003, 's' || g FROM generate_series(1, 400) g;
      INSERT INTO sparse (id, v) SELECT (1::int8 << 60) + g, 'b' || g FROM generate_series(1, 100) g;
      ANALYZE dense, sparse;`));
    const def = definition({ tables: ["dense", "sparse"].map((table) => ({ schema: "public", table, delta: { column: "updated_at" } })) }, source,
      { target: { connection: twin.conn, delta: { overlapSeconds: 0 } } });
    const first = await runClone(def);
    await withClient(source.url, (c) => c.query(`
      DELETE FROM dense WHERE id IN (1, 6, 7, 8, 1000, 2000); INSERT INTO dense (id, v) VALUES (2002, 'new');
      DELETE FROM sparse WHERE id IN (1000003, 5000015, (1::int8 << 60) + 50, (1::int8 << 60) + 100); INSERT INTO sparse (id, v) VALUES (7, 'new');`));
    // Rows an application inserted into the twin: below, between and above the source's keys.
    await withClient(twin.url, (c) => c.query(`
      INSERT INTO dense (id, v) VALUES (-5, 'app'), (0, 'app'), (2001, 'app'), (2147483647, 'app');
      INSERT INTO sparse (id, v) VALUES (-9223372036854775808, 'app'), (3, 'app'), (1000004, 'app'), (9223372036854775807, 'app');`));
    const logs: string[] = [];
    const second = await runClone(def, { deltaState: first.delta!.tables, onProgress: (e) => { if (e.type === "log") logs.push(e.message); } });
    expect(second.delta?.run).toBe("delta");
    expect(byTable(second, "dense")).toMatchObject({ mode: "delta", rowsInserted: 1, rowsDeleted: 6 + 4 });
    expect(byTable(second, "sparse")).toMatchObject({ mode: "delta", rowsInserted: 1, rowsDeleted: 4 + 4 });
    // Which way each table's deletes were found (step-timings.ts).
    const steps = logs.find((m) => m.startsWith("Steps (ms): "))!;
    expect(steps).toMatch(/key ranges public\.dense \d/);
    expect(steps).toMatch(/key merge public\.sparse \d/);
    for (const t of ["dense", "sparse"]) {
      const keys = (url: string) => withClient(url, async (c) => (await c.query({ text: `SELECT id::text FROM ${t} ORDER BY id`, rowMode: "array" })).rows.map((r) => r[0]));
      expect(await keys(twin.url), t).toEqual(await keys(source.url));
    }
  });

  it("a source value found in the staged changes fails the privacy check; the twin keeps its previous rows", async () => {
    const [source, twin] = [await db("scn_delta_leak_src"), await db("scn_delta_leak_twin")];
    const def = await deltaDef(source, twin, { CUSTOMERS: 50, ORDERS: 50 });
    const first = await runClone(def);
    // Line (1, 1)'s hashed sku becomes line (2, 1)'s source sku; both lines change, so the staged rows hold that value.
    const leaked = await withClient(twin.url, async (c) => (await c.query("SELECT sku FROM order_lines WHERE order_id = 1 ORDER BY sku LIMIT 1")).rows[0].sku as string);
    await withClient(source.url, async (c) => {
      await c.query("UPDATE order_lines SET sku = $1, updated_at = now() AT TIME ZONE 'UTC' WHERE order_id = 2 AND line = 1", [leaked]);
      await c.query(`UPDATE order_lines SET updated_at = now() AT TIME ZONE 'UTC' WHERE order_id = 1;
        INSERT INTO customers (id, email, full_name) VALUES (9001, 'leak@example.com', 'Not Applied');
        DELETE FROM orders WHERE id = 50;`);
    });
    const before = await twinRows(twin.url);
    const err = await runClone(def, { deltaState: first.delta!.tables }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "PRIVACY_CHECK_FAILED", message: expect.stringContaining("public.order_lines.sku") });
    expect((err as Error).message).not.toContain(leaked);
    // The upserts and deletes ran in the apply transaction while the check was under way: rolled back.
    expect(await twinRows(twin.url)).toEqual(before);
    expect(await stagingSchemas(twin.url)).toEqual([]);
  });

  it("finds a row whose transaction started before a delta run and committed after it", async () => {
    const [source, twin] = [await db("scn_delta_late_src"), await db("scn_delta_late_twin")];
    const def = await deltaDef(source, twin, { CUSTOMERS: 50, ORDERS: 50 });
    const first = await runClone(def);
    const late = new pg.Client({ connectionString: source.url });
    await late.connect();
    try {
      // now() of this transaction (the row's updated_at) is older than the next run's snapshot.
      await late.query("BEGIN");
      await late.query("INSERT INTO customers (id, email, full_name) VALUES (7001, 'late@example.com', 'Late Person')");
      const second = await runClone(def, { deltaState: first.delta!.tables });
      expect(second.delta?.run).toBe("delta");
      expect(byTable(second, "customers").rowsInserted).toBe(0);
      await late.query("COMMIT");
      const third = await runClone(def, { deltaState: second.delta!.tables });
      expect(byTable(third, "customers")).toMatchObject({ mode: "delta", rowsInserted: 1 });
    } finally {
      await late.end();
    }
    const n = await withClient(twin.url, async (c) => (await c.query("SELECT count(*)::int AS n FROM customers")).rows[0].n);
    expect(n).toBe(51);
  });

  it("loses and duplicates nothing when a run over 10,000 rows with one updated_at is killed and retried", async () => {
    const [source, twin, fresh] = [await db("scn_delta_kill_src"), await db("scn_delta_kill_twin"), await db("scn_delta_kill_fresh")];
    const def = await deltaDef(source, twin, { CUSTOMERS: 50, ORDERS: 50 });
    const first = await runClone(def);
    await withClient(source.url, (c) => c.query("INSERT INTO customers (id, email, full_name) SELECT g, 'bulk' || g || '@example.com', 'Bulk ' || g FROM generate_series(10001, 20000) g"));
    const twinCount = () => withClient(twin.url, async (c) => (await c.query("SELECT count(*)::int AS n, count(DISTINCT source_primary_key)::int AS d FROM customers")).rows[0]);

    // Killed while copying.
    const ac = new AbortController();
    await expect(runClone(def, { deltaState: first.delta!.tables, signal: ac.signal, onProgress: (e) => { if (e.type === "phase" && e.phase === "copying") ac.abort(); } }))
      .rejects.toMatchObject({ code: "CANCELED" });
    expect(await twinCount()).toEqual({ n: 50, d: 50 });
    // Killed inside the apply transaction, after every upsert ran, right before COMMIT.
    await expect(runClone(def, { deltaState: first.delta!.tables, beforeSwapCommit: async () => { throw new Error("claim lost"); } }))
      .rejects.toMatchObject({ code: "CANCELED" });
    expect(await twinCount()).toEqual({ n: 50, d: 50 });

    // The watermark did not advance (the caller keeps the last successful run's state): the retry reads them again.
    const retry = await runClone(def, { deltaState: first.delta!.tables });
    expect(byTable(retry, "customers")).toMatchObject({ mode: "delta", rowsInserted: 10_000, rowsUpdated: 0, rowsDeleted: 0 });
    expect(await twinCount()).toEqual({ n: 10_050, d: 10_050 });
    // Read again from the same watermark: the rows are all re-read, and nothing changes.
    const again = await runClone(def, { deltaState: first.delta!.tables });
    expect(byTable(again, "customers")).toMatchObject({ rowsRead: 10_000, rowsInserted: 0, rowsUpdated: 0, rowsDeleted: 0 });
    await runClone(withTarget(def, fresh));
    const [a, b] = [await twinRows(twin.url), await twinRows(fresh.url)];
    expect(a.customers).toEqual(b.customers);
    const leftovers = await withClient(twin.url, async (c) => (await c.query("SELECT count(*)::int AS n FROM pg_namespace WHERE nspname LIKE 'doppel_%'")).rows[0].n);
    expect(leftovers).toBe(0);
  });

  it("re-copies in full only the tables whose columns changed; the others stay delta", async () => {
    const [source, twin, fresh] = [await db("scn_delta_ddl_src"), await db("scn_delta_ddl_twin"), await db("scn_delta_ddl_fresh")];
    const def = await deltaDef(source, twin, { CUSTOMERS: 50, ORDERS: 80 });
    const first = await runClone(def);
    await withClient(source.url, (c) => c.query(`
      ALTER TABLE orders ALTER COLUMN total TYPE numeric(12, 3);
      ALTER TABLE order_lines ADD COLUMN note text;
      UPDATE order_lines SET note = 'gift', updated_at = timestamp '2020-01-01' WHERE order_id = 3;
      UPDATE customers SET tier = 'silver', updated_at = now() WHERE id = 7;`));
    const second = await runClone(def, { deltaState: first.delta!.tables });
    expect(second.delta?.run).toBe("delta");
    expect(byTable(second, "orders")).toMatchObject({ mode: "full", fullReason: "its columns or their types changed since the last run", rowsUpdated: 80, rowsDeleted: 0 });
    // An old updated_at: a delta read would have missed these rows; the full re-copy has them.
    expect(byTable(second, "order_lines")).toMatchObject({ mode: "full", rowsRead: 240, rowsUpdated: 3 });
    expect(byTable(second, "customers")).toMatchObject({ mode: "delta", rowsRead: 1, rowsUpdated: 1 });
    await withClient(twin.url, async (c) => {
      const { rows } = await c.query("SELECT format_type(atttypid, atttypmod) AS t, attnotnull FROM pg_attribute WHERE attrelid = 'orders'::regclass AND attname = 'total'");
      expect(rows).toEqual([{ t: "numeric(12,3)", attnotnull: true }]);
    });
    await runClone(withTarget(def, fresh));
    const [a, b] = [await twinRows(twin.url), await twinRows(fresh.url)];
    for (const t of TABLES) expect(a[t], t).toEqual(b[t]);
    // The next run: every table back to delta.
    const third = await runClone(def, { deltaState: second.delta!.tables });
    expect(third.tables.filter((t) => t.mode === "delta").map((t) => t.table)).toEqual(["customers", "orders", "order_lines"]);
  });

  it("under the fail-closed review policy, stops at a new unreviewed column and re-copies only its table once reviewed", async () => {
    const [source, twin, fresh] = [await db("scn_delta_rev_src"), await db("scn_delta_rev_twin"), await db("scn_delta_rev_fresh")];
    const base = await deltaDef(source, twin, { CUSTOMERS: 50, ORDERS: 80 });
    // Every column known when the version was saved counts as reviewed (the worker passes them).
    const known: Record<string, string[]> = {
      customers: ["id", "email", "full_name", "tier", "updated_at"], orders: ["id", "customer_id", "total", "updated_at"],
      order_lines: ["order_id", "line", "sku", "qty", "updated_at"], countries: ["code", "name"], audit_notes: ["note", "at"],
    };
    const def: TWorkflowDefinitionInput = { ...base, review: { unreviewed: "fail" }, tables: base.tables.map((t) => ({ ...t, reviewedColumns: known[t.table] })) };
    const first = await runClone(def);
    await withClient(source.url, (c) => c.query(`
      ALTER TABLE order_lines ADD COLUMN gift_message text;
      UPDATE order_lines SET gift_message = 'for you', updated_at = timestamp '2020-01-01' WHERE order_id = 4;
      UPDATE customers SET tier = 'gold', updated_at = now() WHERE id = 9;`));
    const before = await twinRows(twin.url);
    await expect(runClone(def, { deltaState: first.delta!.tables })).rejects.toMatchObject({ code: "UNREVIEWED_COLUMNS", message: expect.stringContaining("public.order_lines (gift_message)") });
    expect(await twinRows(twin.url)).toEqual(before);

    // Reviewed with a rule: that table is re-copied in full with the new column; the others stay delta.
    const reviewed = { ...def, tables: def.tables!.map((t) => t.table === "order_lines" ? { ...t, rules: { ...t.rules, gift_message: { rule: "hash" as const } } } : t) };
    const second = await runClone(reviewed, { deltaState: first.delta!.tables });
    expect(second.delta?.run).toBe("delta");
    expect(byTable(second, "order_lines")).toMatchObject({ mode: "full", fullReason: "its columns or their types changed since the last run", rowsRead: 240, rowsUpdated: 3 });
    expect(byTable(second, "customers")).toMatchObject({ mode: "delta", rowsUpdated: 1 });
    expect(byTable(second, "orders")).toMatchObject({ mode: "delta", rowsUpdated: 0 });
    await runClone(withTarget(reviewed, fresh));
    const [a, b] = [await twinRows(twin.url), await twinRows(fresh.url)];
    for (const t of TABLES) expect(a[t], t).toEqual(b[t]);
    expect(a.order_lines.join("\n")).not.toContain("for you");
  });

  it("detects changes by xmin without a change column: frozen rows after a change, and a transaction committing after a run", async () => {
    const [source, twin, fresh] = [await db("scn_delta_xmin_src"), await db("scn_delta_xmin_twin"), await db("scn_delta_xmin_fresh")];
    const base = await deltaDef(source, twin, { CUSTOMERS: 50, ORDERS: 50 });
    const def = { ...base, tables: base.tables.map((t) => t.table === "countries" ? { ...t, delta: { xmin: true as const } } : t) };
    const first = await runClone(def);
    expect(first.delta!.tables.find((t) => t.table === "countries")!.snapshotXmin).toMatch(/^\d+$/);
    // Changed, then frozen before the next run: the raw xmin stays, so the rows are still read.
    await withClient(source.url, async (c) => {
      await c.query("UPDATE countries SET name = 'Italia' WHERE code = 'IT'; INSERT INTO countries VALUES ('ES', 'Spain')");
      await c.query("VACUUM (FREEZE) countries");
    });
    const second = await runClone(def, { deltaState: first.delta!.tables });
    // (Rows read: at least those 2; more when another session of the shared server held an older xid then.)
    expect(byTable(second, "countries")).toMatchObject({ mode: "delta", rowsInserted: 1, rowsUpdated: 1, rowsDeleted: 0, watermark: { from: `xmin ${first.delta!.tables[0].snapshotXmin}` } });

    const late = new pg.Client({ connectionString: source.url });
    await late.connect();
    let third: CloneReport;
    try {
      // This transaction's xid is older than the next run's snapshot, and it commits after that run.
      await late.query("BEGIN");
      await late.query("UPDATE countries SET name = 'Deutschland' WHERE code = 'DE'");
      third = await runClone(def, { deltaState: second.delta!.tables });
      expect(byTable(third, "countries")).toMatchObject({ mode: "delta", rowsUpdated: 0 });
      await late.query("COMMIT");
    } finally {
      await late.end();
    }
    await withClient(source.url, (c) => c.query("DELETE FROM countries WHERE code = 'FR'"));
    const fourth = await runClone(def, { deltaState: third.delta!.tables });
    expect(byTable(fourth, "countries")).toMatchObject({ mode: "delta", rowsUpdated: 1, rowsDeleted: 1 });
    await runClone(withTarget(def, fresh));
    const [a, b] = [await twinRows(twin.url), await twinRows(fresh.url)];
    for (const t of TABLES) expect(a[t], t).toEqual(b[t]);
  });

  it("removes rows that a soft-delete column marks deleted, in full and delta runs, without comparing that table's keys", async () => {
    const [source, twin, fresh] = [await db("scn_delta_soft_src"), await db("scn_delta_soft_twin"), await db("scn_delta_soft_fresh")];
    const base = await deltaDef(source, twin, { CUSTOMERS: 50, ORDERS: 80 });
    const def = { ...base, tables: base.tables.map((t) => t.table === "order_lines" ? { ...t, delta: { column: "updated_at", softDelete: "deleted_at" } } : t) };
    await withClient(source.url, (c) => c.query("ALTER TABLE order_lines ADD COLUMN deleted_at timestamptz; UPDATE order_lines SET deleted_at = now() WHERE order_id = 1"));
    const first = await runClone(def);
    expect(byTable(first, "order_lines")).toMatchObject({ mode: "full", rowsRead: 237 });
    await withClient(source.url, (c) => c.query(`
      UPDATE order_lines SET deleted_at = now(), updated_at = now() AT TIME ZONE 'UTC' WHERE order_id = 2;
      UPDATE order_lines SET qty = 7, updated_at = now() AT TIME ZONE 'UTC' WHERE order_id = 4 AND line = 1;`));
    const second = await runClone(def, { deltaState: first.delta!.tables });
    expect(byTable(second, "order_lines")).toMatchObject({ mode: "delta", rowsInserted: 0, rowsUpdated: 1, rowsDeleted: 3 });
    await runClone(withTarget(def, fresh));
    const [a, b] = [await twinRows(twin.url), await twinRows(fresh.url)];
    for (const t of TABLES) expect(a[t], t).toEqual(b[t]);
    expect(a.order_lines).toHaveLength(234);

    // Deletes are the soft-delete column's job for this table: a hard delete is not looked for.
    await withClient(source.url, (c) => c.query("DELETE FROM order_lines WHERE order_id = 5"));
    const third = await runClone(def, { deltaState: second.delta!.tables });
    expect(byTable(third, "order_lines")).toMatchObject({ mode: "delta", rowsDeleted: 0 });
    expect((await twinRows(twin.url)).order_lines).toHaveLength(234);

    // Named refusals: a column of another type, and a table other selected tables reference.
    const wrongType = { ...def, tables: def.tables.map((t) => t.table === "order_lines" ? { ...t, delta: { column: "updated_at", softDelete: "sku" } } : t) };
    await expect(runClone(wrongType)).rejects.toMatchObject({ message: expect.stringContaining("public.order_lines.sku is text: a soft-delete column must be boolean") });
    await withClient(source.url, (c) => c.query("ALTER TABLE customers ADD COLUMN gone boolean"));
    const referenced = { ...def, tables: def.tables.map((t) => t.table === "customers" ? { ...t, rules: { ...t.rules, gone: { rule: "keep" as const } }, delta: { column: "updated_at", softDelete: "gone" } } : t) };
    await expect(runClone(referenced, { deltaState: third.delta!.tables })).rejects.toMatchObject({ code: "INVALID_DEFINITION", message: expect.stringContaining("public.customers has the soft-delete column gone, but public.orders references it") });
  });

  it("re-reads a table with a time window in full: rows entering the window are inserted, rows leaving it deleted", async () => {
    const [source, twin, fresh] = [await db("scn_delta_win_src"), await db("scn_delta_win_twin"), await db("scn_delta_win_fresh")];
    const base = await deltaDef(source, twin, { CUSTOMERS: 50, ORDERS: 80 });
    const def = { ...base, tables: base.tables.map((t) => t.table === "order_lines" ? { ...t, delta: undefined, filter: { kind: "window" as const, columns: ["updated_at"], days: 1 } } : t) };
    await withClient(source.url, (c) => c.query("UPDATE order_lines SET updated_at = now() AT TIME ZONE 'UTC' WHERE order_id = 5"));
    const first = await runClone(def);
    expect(byTable(first, "order_lines").rowsWritten).toBe(3);
    await withClient(source.url, (c) => c.query(`
      UPDATE order_lines SET updated_at = timestamp '2020-01-01' WHERE order_id = 5 AND line = 1;
      UPDATE order_lines SET updated_at = now() AT TIME ZONE 'UTC' WHERE order_id = 6;`));
    const second = await runClone(def, { deltaState: first.delta!.tables });
    expect(second.delta?.run).toBe("delta");
    expect(byTable(second, "order_lines")).toMatchObject({ mode: "full", fullReason: "the table has a time-window or row filter", rowsInserted: 3, rowsDeleted: 1 });
    await runClone(withTarget(def, fresh));
    const [a, b] = [await twinRows(twin.url), await twinRows(fresh.url)];
    for (const t of TABLES) expect(a[t], t).toEqual(b[t]);
  });
});

import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { EngineError } from "../../lib/pipeline/errors";
import { runClone } from "../../lib/pipeline/run-clone";
import type { TWorkflowDefinitionInput } from "../../lib/schemas/workflow";
import { createDb, definition, loadScenario, stagingSchemas, withClient, type Db } from "./harness";

// Runs that must leave the previous target exactly as it was: a row the target rejects, a
// privacy-check failure, a failing customization, a cancellation mid-copy. And readers polling
// the target during a clone only ever see the old or the new data.

const VALUES = { company_name: "Demo Inc", logo: "https://demo.example/logo.png" };

async function targetState(url: string) {
  return withClient(url, async (c) => (await c.query(
    "SELECT (SELECT count(*) FROM customers)::int AS customers, (SELECT count(*) FROM orders)::int AS orders, (SELECT name FROM company) AS company")).rows[0]);
}

async function expectEngineError(p: Promise<unknown>, code: string): Promise<EngineError> {
  const err = await p.then(() => null, (e) => e);
  expect(err, `expected ${code}`).toBeInstanceOf(EngineError);
  expect((err as EngineError).code).toBe(code);
  return err as EngineError;
}

describe("scenario: failures leave the previous target untouched", () => {
  const dbs: Db[] = [];
  let source: Db;
  let target: Db;
  let def: TWorkflowDefinitionInput;
  let before: { customers: number; orders: number; company: string };

  beforeAll(async () => {
    source = await createDb(inject("adminUrl"), "scn_fail_src");
    target = await createDb(inject("adminUrl"), "scn_fail_dst");
    dbs.push(source, target);
    const wf = await loadScenario("shop", source, { CUSTOMERS: 20000, ORDERS: 100000 });
    def = definition(wf, source, { target: { connection: target.conn } });
    await runClone(def, { customizationValues: VALUES });
    before = await targetState(target.url);
    expect(before).toEqual({ customers: 20000, orders: 100000, company: "Demo Inc" });
    // The source moves on; a successful run would publish these rows.
    await withClient(source.url, (c) => c.query("INSERT INTO orders (customer_id, amount, status, created_at) SELECT 1, 1, 'paid', now() FROM generate_series(1, 10)"));
  });
  afterAll(async () => {
    for (const d of dbs) await d.drop();
  });

  it("a row the target rejects (a redaction that breaks a CHECK) fails the run with TARGET_REJECTED_ROW", async () => {
    await withClient(source.url, (c) => c.query("ALTER TABLE customers ADD CONSTRAINT phone_required CHECK (phone IS NOT NULL)"));
    try {
      const customers = def.tables.find((t) => t.table === "customers")!;
      const bad = { ...def, tables: def.tables.map((t) => t === customers ? { ...t, rules: { ...t.rules, phone: { rule: "null" as const } } } : t) };
      const err = await expectEngineError(runClone(bad, { customizationValues: VALUES }), "TARGET_REJECTED_ROW");
      expect(err.message).toContain("customers");
      expect(err.message).not.toMatch(/555|source\.test/);
    } finally {
      await withClient(source.url, (c) => c.query("ALTER TABLE customers DROP CONSTRAINT phone_required"));
    }
    expect(await targetState(target.url)).toEqual(before);
    expect(await stagingSchemas(target.url)).toEqual([]);
  });

  it("a source value found in the output fails the privacy check; nothing is published", async () => {
    // A source row whose token equals the redacted token of another row: the hashed output of
    // customer 1 now also occurs as a source value.
    const leaked = await withClient(target.url, async (c) => (await c.query("SELECT api_token FROM customers WHERE id = 1")).rows[0].api_token);
    await withClient(source.url, (c) => c.query("UPDATE customers SET api_token = $1 WHERE id = 2", [leaked]));
    const sized = { ...def, options: { privacySampleSize: 100_000 } };
    const err = await expectEngineError(runClone(sized, { customizationValues: VALUES }), "PRIVACY_CHECK_FAILED");
    expect(err.message).toContain("public.customers.api_token");
    expect(err.message).not.toContain(leaked);
    expect(await targetState(target.url)).toEqual(before);
    expect(await stagingSchemas(target.url)).toEqual([]);
    await withClient(source.url, (c) => c.query("UPDATE customers SET api_token = 'tok_' || md5(id::text) WHERE id = 2"));
  });

  it("customization problems: a missing value fails before anything, a failing statement rolls the swap back", async () => {
    await expectEngineError(runClone(def, { customizationValues: { company_name: "x" } }), "CUSTOMIZATION_FAILED");
    const multi = { ...def, customizations: [{ name: "two", statement: "UPDATE company SET name = 'a'; DROP TABLE orders", params: [] }] };
    await expectEngineError(runClone(multi), "INVALID_DEFINITION");
    const failing = { ...def, customizations: [{ name: "broken", statement: "UPDATE company SET no_such_column = %(v)s", params: [{ name: "v", label: "V" }] }] };
    const err = await expectEngineError(runClone(failing, { customizationValues: { v: "1" } }), "CUSTOMIZATION_FAILED");
    expect(err.message).toContain("broken");
    expect(await targetState(target.url)).toEqual(before);
    expect(await stagingSchemas(target.url)).toEqual([]);
  });

  it("cancellation mid-copy drops the staging schemas and keeps the target", async () => {
    const controller = new AbortController();
    const run = runClone(def, {
      signal: controller.signal,
      customizationValues: VALUES,
      onProgress: (e) => {
        if (e.type === "table" && e.table.rowsDone > 0) controller.abort();
      },
    });
    await expectEngineError(run, "CANCELED");
    expect(await targetState(target.url)).toEqual(before);
    expect(await stagingSchemas(target.url)).toEqual([]);
  });

  it("a failing fencing check (beforeSwapCommit) aborts the swap", async () => {
    const err = await runClone(def, { customizationValues: VALUES, beforeSwapCommit: async () => { throw new EngineError("CANCELED", "lost the job claim"); } }).catch((e) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect(await targetState(target.url)).toEqual(before);
    expect(await stagingSchemas(target.url)).toEqual([]);
  });

  it("readers polling during a clone see the old data or the new data, never a mix or an error", async () => {
    const seen: string[] = [];
    let done = false;
    const poller = withClient(target.url, async (c) => {
      while (!done) {
        const { rows } = await c.query("SELECT (SELECT count(*) FROM customers)::int AS customers, (SELECT count(*) FROM orders)::int AS orders");
        seen.push(`${rows[0].customers}/${rows[0].orders}`);
      }
    });
    try {
      const report = await runClone(def, { customizationValues: VALUES });
      expect(report.tables.find((t) => t.table === "orders")!.rowsWritten).toBe(100010);
    } finally {
      done = true;
    }
    await poller;
    const after = await targetState(target.url);
    expect(after).toEqual({ customers: 20000, orders: 100010, company: "Demo Inc" });
    expect(seen.length).toBeGreaterThan(0);
    expect([...new Set(seen)].filter((s) => s !== "20000/100000" && s !== "20000/100010")).toEqual([]);
    expect(await stagingSchemas(target.url)).toEqual([]);
  });
});

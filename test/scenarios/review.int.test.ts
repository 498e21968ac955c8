import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { EngineError } from "../../lib/pipeline/errors";
import { runClone } from "../../lib/pipeline/run-clone";
import type { TWorkflowDefinitionInput } from "../../lib/schemas/workflow";
import { createDb, stagingSchemas, withClient, type Db } from "./harness";

// Privacy by default in the engine, on a real source and target: with a review policy, a column
// nobody has reviewed (added to the source after the workflow was saved) stops the run before
// anything is written, or is copied as NULL and reported; "keep as is" copies a column unchanged;
// a column a rule names that was renamed away stops the run with COLUMN_MISSING. Each failure
// leaves the previous target exactly as it was.

const SCHEMA = `
  CREATE TABLE customers (id int PRIMARY KEY, email text NOT NULL, plan text NOT NULL);
  CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL REFERENCES customers, amount numeric NOT NULL);
  INSERT INTO customers SELECT g, 'person' || g || '@source.test', CASE WHEN g % 2 = 0 THEN 'pro' ELSE 'free' END FROM generate_series(1, 50) g;
  INSERT INTO orders SELECT g, 1 + g % 50, g * 1.5 FROM generate_series(1, 200) g;`;

async function expectEngineError(p: Promise<unknown>, code: string): Promise<EngineError> {
  const err = await p.then(() => null, (e) => e);
  expect(err, `expected ${code}`).toBeInstanceOf(EngineError);
  expect((err as EngineError).code).toBe(code);
  return err as EngineError;
}

describe("scenario: every source column is reviewed before it reaches a twin", () => {
  let source: Db;
  let target: Db;
  let base: TWorkflowDefinitionInput;
  const targetState = () => withClient(target.url, async (c) => (await c.query(
    `SELECT (SELECT count(*) FROM customers)::int AS customers, (SELECT count(*) FROM orders)::int AS orders,
            (SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'customers') AS columns`)).rows[0]);

  beforeAll(async () => {
    source = await createDb(inject("adminUrl"), "scn_rev_src");
    target = await createDb(inject("adminUrl"), "scn_rev_dst");
    await withClient(source.url, (c) => c.query(SCHEMA));
    base = {
      version: 1, source: source.conn, outputs: { target: { connection: target.conn } }, hashSalt: "scenario-salt-0123456789",
      review: { unreviewed: "fail" },
      tables: [
        // The worker passes a saved version's known columns as reviewedColumns.
        { schema: "public", table: "customers", rules: { email: { rule: "fake", kind: "email" }, plan: { rule: "keep" } }, reviewedColumns: ["id", "email", "plan"] },
        { schema: "public", table: "orders", rules: { amount: { rule: "keep" } }, reviewedColumns: ["id", "customer_id", "amount"] },
      ],
    };
  });
  afterAll(async () => {
    await source?.drop();
    await target?.drop();
  });
  beforeEach(async () => {
    await withClient(source.url, (c) => c.query("ALTER TABLE customers DROP COLUMN IF EXISTS ssn; ALTER TABLE customers DROP COLUMN IF EXISTS tax_id"));
  });

  it("runs when every column is reviewed; 'keep as is' copies the column unchanged and is reported", async () => {
    const report = await runClone(base);
    expect(report.tables.find((t) => t.table === "customers")!.rules).toContainEqual({ column: "plan", rule: "keep", description: "Keep as is" });
    const plans = await withClient(target.url, async (c) => (await c.query("SELECT string_agg(plan, ',' ORDER BY id) AS p FROM customers")).rows[0].p);
    const sourcePlans = await withClient(source.url, async (c) => (await c.query("SELECT string_agg(plan, ',' ORDER BY id) AS p FROM customers")).rows[0].p);
    expect(plans).toBe(sourcePlans);
    expect(report.unreviewedNulled).toBeUndefined();
  });

  it("a column added to the source after the version was saved stops the next run before anything is written", async () => {
    await runClone(base);
    const before = await targetState();
    await withClient(source.url, (c) => c.query("ALTER TABLE customers ADD COLUMN ssn text; UPDATE customers SET ssn = '123-45-' || lpad(id::text, 4, '0')"));
    const err = await expectEngineError(runClone(base), "UNREVIEWED_COLUMNS");
    expect(err.message).toContain("public.customers (ssn)");
    expect(err.message).not.toMatch(/123-45/);
    expect(err.hint).toMatch(/workflow editor/);
    expect(await targetState()).toEqual(before);
    expect(await stagingSchemas(target.url)).toEqual([]);
    // Without the review policy (a workflow.json written before it existed), the column is copied.
    await runClone({ ...base, review: undefined });
    expect((await targetState()).columns).toBe("id,email,plan,ssn");
  });

  it("without reviewedColumns only rules, keep, followed keys and generated columns count as reviewed", async () => {
    const strict = { ...base, tables: base.tables.map((t) => ({ ...t, reviewedColumns: undefined })) };
    const err = await expectEngineError(runClone(strict), "UNREVIEWED_COLUMNS");
    expect(err.message).toContain("public.customers (id)");
    expect(err.message).toContain("public.orders (id, customer_id)");
  });

  it("'null until reviewed' copies the new column as NULL and reports it; a NOT NULL one still stops the run", async () => {
    await withClient(source.url, (c) => c.query("ALTER TABLE customers ADD COLUMN ssn text; UPDATE customers SET ssn = '123-45-' || lpad(id::text, 4, '0')"));
    const nulling = { ...base, review: { unreviewed: "null" as const } };
    const report = await runClone(nulling);
    expect(report.unreviewedNulled).toEqual([{ schema: "public", table: "customers", columns: ["ssn"] }]);
    expect(report.tables.find((t) => t.table === "customers")!.rules).toContainEqual({ column: "ssn", rule: "null", description: "Empty (NULL)", detail: "not reviewed: copied as NULL until it is" });
    const ssn = await withClient(target.url, async (c) => (await c.query("SELECT count(*)::int AS n, count(ssn)::int AS set FROM customers")).rows[0]);
    expect(ssn).toEqual({ n: 50, set: 0 });

    const before = await targetState();
    await withClient(source.url, (c) => c.query("ALTER TABLE customers ADD COLUMN tax_id text NOT NULL DEFAULT 'T-1'"));
    const err = await expectEngineError(runClone(nulling), "UNREVIEWED_COLUMNS");
    expect(err.message).toMatch(/public\.customers \(tax_id\) is NOT NULL/);
    expect(await targetState()).toEqual(before);
  });

  it("a column a rule names that was renamed in the source fails with COLUMN_MISSING, naming it; the previous twin stays", async () => {
    await runClone(base);
    const before = await targetState();
    await withClient(source.url, (c) => c.query("ALTER TABLE customers RENAME COLUMN email TO email_address"));
    try {
      const err = await expectEngineError(runClone(base), "COLUMN_MISSING");
      expect(err.message).toContain("Column public.customers.email, which has a rule, is not in the source database (dropped or renamed)");
      expect(err.message).toContain("the previous copy is unchanged");
      expect(await targetState()).toEqual(before);
      expect(await stagingSchemas(target.url)).toEqual([]);
    } finally {
      await withClient(source.url, (c) => c.query("ALTER TABLE customers RENAME COLUMN email_address TO email"));
    }
  });
});

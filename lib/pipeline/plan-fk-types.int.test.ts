import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb, definition, withClient, type Db } from "../../test/scenarios/harness";
import { ZWorkflowDefinition } from "../schemas/workflow";
import { readCatalog, type Catalog } from "./catalog";
import { EngineError } from "./errors";
import { buildPlan } from "./plan";

// A foreign key column takes the rule of the redacted key it references; the plan refuses it when
// the two columns' types would make the rule give different values (int4 vs int8 hashes, text
// hashes cut to different lengths, fakes fitted to different lengths). varchar(n)[] columns carry
// their element's limit.

describe("plan: rules that follow foreign keys need compatible column types", () => {
  let db: Db;
  let catalog: Catalog;
  beforeAll(async () => {
    db = await createDb(inject("adminUrl"), "plan_fk_types");
    await withClient(db.url, async (c) => {
      await c.query(`
        CREATE TABLE account (id int4 PRIMARY KEY, email text UNIQUE NOT NULL, code varchar(40) UNIQUE, tags varchar(7)[]);
        CREATE TABLE ledger (id serial PRIMARY KEY, account_id int8 REFERENCES account (id), email varchar(200) REFERENCES account (email));
        CREATE TABLE note (id serial PRIMARY KEY, account_id int4 REFERENCES account (id), code varchar(12) REFERENCES account (code));`);
      catalog = await readCatalog(c, ["public"]);
    });
  });
  afterAll(async () => {
    await db?.drop();
  });

  const plan = (rules: Record<string, Record<string, unknown>>) => {
    const tables = ["account", "ledger", "note"].map((table) => ({ schema: "public", table, rules: rules[table] ?? {} }));
    const def = ZWorkflowDefinition.parse(definition({ tables } as never, db, { target: { connection: db.conn } }));
    return buildPlan(def, catalog, new Date().toISOString());
  };
  const refusal = (rules: Record<string, Record<string, unknown>>) => {
    try {
      plan(rules);
    } catch (err) {
      expect(err).toBeInstanceOf(EngineError);
      expect((err as EngineError).code).toBe("INVALID_DEFINITION");
      return (err as EngineError).message;
    }
    throw new Error("the plan was accepted");
  };

  it("refuses an integer hash on int4 followed by an int8 column, naming both columns", () => {
    const msg = refusal({ account: { id: { rule: "hash" } }, note: { account_id: { rule: "null" } } });
    expect(msg).toContain("public.ledger.account_id references public.account.id (foreign key ledger_account_id_fkey)");
    expect(msg).toMatch(/hash rule gives different values on bigint .* than on integer/);
    expect(msg).not.toContain("public.note");
  });

  it("accepts a text hash on text followed by varchar(200) (same output length), refuses varchar(12) under a 40-character code", () => {
    const p = plan({ account: { email: { rule: "hash", length: 16 } } });
    expect(p.units.find((u) => u.table.name === "ledger")!.rules.email).toEqual({ rule: "hash", length: 16, encoding: "hex" });
    const msg = refusal({ account: { code: { rule: "hash", length: 32 } } });
    expect(msg).toContain("public.note.code references public.account.code");
    expect(msg).toContain("give public.note.code the same type as public.account.code");
  });

  it("reads the element's length limit of varchar(n)[] columns", () => {
    const tags = catalog.tables.find((t) => t.name === "account")!.columns.find((c) => c.name === "tags")!;
    expect(tags).toMatchObject({ category: "A", elementType: "varchar", maxLength: 7 });
  });

  it("copies keep-as-is columns unchanged but reports them, and a redacted key's rule still follows into a kept reference", () => {
    const p = plan({ account: { id: { rule: "hash" }, tags: { rule: "keep" } }, ledger: { account_id: { rule: "null" } }, note: { account_id: { rule: "keep" }, code: { rule: "keep" } } });
    const account = p.units.find((u) => u.table.name === "account")!;
    expect(account.rules.tags).toBeUndefined();
    expect(account.ruleReports).toContainEqual({ column: "tags", rule: "keep", description: "Keep as is" });
    const note = p.units.find((u) => u.table.name === "note")!;
    expect(note.rules.account_id).toEqual(account.rules.id);
    expect(note.ruleReports).toContainEqual({ column: "account_id", rule: "hash", description: "Hash", detail: "follows public.account.id" });
    expect(note.rules.code).toBeUndefined();
    expect(note.ruleReports).toContainEqual({ column: "code", rule: "keep", description: "Keep as is" });
  });
});

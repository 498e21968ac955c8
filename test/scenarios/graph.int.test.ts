import { afterAll, describe, expect, inject, it } from "vitest";
import { EngineError } from "../../lib/pipeline/errors";
import { runClone } from "../../lib/pipeline/run-clone";
import { createDb, definition, expectFaithfulClone, loadScenario, stagingSchemas, withClient, type Db } from "./harness";

describe("scenario: foreign-key graph", () => {
  const dbs: Db[] = [];
  afterAll(async () => {
    for (const d of dbs) await d.drop();
  });

  it("keeps referenced parents, follows redacted keys, keeps the partitioning and deferrable cycles", async () => {
    const source = await createDb(inject("adminUrl"), "scn_graph_src");
    const target = await createDb(inject("altAdminUrl") ?? inject("adminUrl"), "scn_graph_dst");
    dbs.push(source, target);
    const wf = await loadScenario("graph", source);
    const def = definition(wf, source, { target: { connection: target.conn } });
    const report = await runClone(def);
    await expectFaithfulClone(def, report, source, target);
    expect(await stagingSchemas(target.url)).toEqual([]);

    const byTable = Object.fromEntries(report.tables.map((t) => [t.table, t]));
    // The hashed company key is applied to the column that references it.
    expect(byTable.employee.rules).toContainEqual({ column: "company_id", rule: "hash", description: "Hash", detail: "follows public.company.id" });
    // Windows: parents referenced by kept children are kept too.
    expect(byTable.company.rowsKeptForReferences).toBeGreaterThan(0);
    expect(byTable.employee.rowsKeptForReferences).toBeGreaterThan(0);
    expect(byTable.company.rowsFiltered + byTable.company.rowsWritten).toBe(20);
    expect(byTable.event.rowsFiltered).toBeGreaterThan(0);

    await withClient(target.url, async (c) => {
      // Every foreign key exists and is validated (expectFaithfulClone), and the data satisfies it:
      const orphans = await c.query(`SELECT
          (SELECT count(*) FROM employee e WHERE NOT EXISTS (SELECT 1 FROM company x WHERE x.id = e.company_id))::int AS company,
          (SELECT count(*) FROM employee e WHERE e.manager_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM employee m WHERE m.id = e.manager_id))::int AS manager,
          (SELECT count(*) FROM event v WHERE NOT EXISTS (SELECT 1 FROM employee e WHERE e.id = v.employee_id))::int AS event`);
      expect(orphans.rows[0]).toEqual({ company: 0, manager: 0, event: 0 });
      const parts = await c.query(`SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'event'::regclass ORDER BY 1`);
      expect(parts.rows.map((r) => r.relname)).toEqual(["event_2023", "event_2024", "event_rest"]);
      const deferrable = await c.query(`SELECT conname FROM pg_constraint WHERE condeferrable ORDER BY 1`);
      expect(deferrable.rows.map((r) => r.conname)).toEqual(["member_once", "team_lead_fk", "team_member_team_id_fkey"]);
      const companies = await c.query(`SELECT count(*)::int AS n FROM company WHERE id IN (SELECT md5('company' || g)::uuid FROM generate_series(1, 20) g)`);
      expect(companies.rows[0].n).toBe(0);
    });
  });

  it("refuses windows on a cycle of foreign keys before writing anything, naming the tables", async () => {
    const source = await createDb(inject("adminUrl"), "scn_cycle_src");
    const target = await createDb(inject("adminUrl"), "scn_cycle_dst");
    dbs.push(source, target);
    const wf = await loadScenario("graph", source);
    await withClient(source.url, (c) => c.query("ALTER TABLE team ADD COLUMN created_at timestamptz NOT NULL DEFAULT now(); ALTER TABLE team_member ADD COLUMN created_at timestamptz NOT NULL DEFAULT now()"));
    const tables = wf.tables.map((t) => t.table === "team" || t.table === "team_member" ? { ...t, filter: { kind: "window" as const, columns: ["created_at"], days: 5 } } : t);
    const err = await runClone(definition({ ...wf, tables }, source, { target: { connection: target.conn } })).catch((e) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect(err.code).toBe("FK_SUBSET_IMPOSSIBLE");
    expect(err.message).toMatch(/public\.team.*public\.team_member|public\.team_member.*public\.team/);
    await withClient(target.url, async (c) => {
      expect((await c.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'")).rows[0].n).toBe(0);
    });
    expect(await stagingSchemas(target.url)).toEqual([]);
  });
});

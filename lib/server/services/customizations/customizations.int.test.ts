import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/db";
import { getRegisteredAction } from "../../action-registry";
import { createPrisma, type Db } from "../../db";
import { ensureTestSecretKey, makeOrg, makeUser } from "../../testing/fixtures";
import { startRun } from "../jobs/start-run";
import { listCustomizations, listDemoWorkflows } from "./list-customizations";
import { deleteCustomization, saveCustomization } from "./save-customization";
import { saveCustomizationValues } from "./save-customization-values";

// Customizations end to end through the services and the registered actions (roles), on a
// real app database. Runs are only enqueued here (no worker): the clone itself is covered by
// the engine's and the worker's tests, and by the demo story in e2e/demo.spec.ts.

let tdb: TestDatabase;
let db: Db;
let pool: pg.Pool;

beforeAll(async () => {
  ensureTestSecretKey();
  tdb = await createTestDatabase();
  db = createPrisma(tdb.url, { max: 4 });
  pool = new pg.Pool({ connectionString: tdb.url, max: 3 });
  process.env.DATABASE_URL = tdb.url; // actions use the process-wide job pool
  await import("../../../../app/(app)/[orgSlug]/workflows/[id]/customizations/actions");
  await import("../../../../app/(app)/[orgSlug]/demo/actions");
  await import("../../../../app/(app)/[orgSlug]/workflows/[id]/run-actions");
});
afterAll(async () => {
  await pool.end();
  await db.$disconnect();
  await tdb.drop();
});

const STATEMENT = "UPDATE companies SET name = %(company_name)s WHERE id = 1";

async function setup(opts: { migrationDryRun?: boolean } = {}) {
  const [owner, editor, viewer] = [await makeUser(db), await makeUser(db), await makeUser(db)];
  const org = await makeOrg(db, owner, [{ user: editor, role: "EDITOR" }, { user: viewer, role: "VIEWER" }]);
  const source = await db.connection.create({ data: { orgId: org.id, name: "source", kind: "POSTGRES", config: { host: "127.0.0.1", port: 5432, database: "src", user: "u" } } });
  const target = await db.connection.create({ data: { orgId: org.id, name: "target", kind: "POSTGRES", config: { host: "127.0.0.1", port: 5432, database: "twin", user: "u" } } });
  const workflow = await db.workflow.create({ data: { orgId: org.id, name: "Demo twin", migrationDryRun: opts.migrationDryRun ?? false } });
  await db.workflowVersion.create({
    data: { workflowId: workflow.id, version: 1, config: { version: 1, sourceConnectionId: source.id, tables: [{ schema: "public", table: "companies" }], outputs: { target: { connectionId: target.id } } } },
  });
  const actor = { userId: owner.id, label: owner.email, role: "OWNER" as const };
  return { owner, editor, viewer, org, workflow, actor };
}

const companyParam = { name: "company_name", label: "Company name", type: "text" as const };

describe("customization definitions", () => {
  it("saving one creates a new workflow version with it; editing and deleting do too", async () => {
    const { org, workflow, actor } = await setup();
    const saved = await saveCustomization({ db, orgId: org.id, actor, input: { workflowId: workflow.id, name: "Prospect", statement: STATEMENT, params: [companyParam] } });
    expect(saved.version).toBe(2);
    const list = await listCustomizations({ db, orgId: org.id, workflowId: workflow.id });
    expect(list.customizations).toEqual([{ name: "Prospect", statement: STATEMENT, params: [companyParam] }]);
    expect(list.workflow.currentVersion).toBe(2);
    const v2 = await db.workflowVersion.findUniqueOrThrow({ where: { workflowId_version: { workflowId: workflow.id, version: 2 } } });
    expect(v2.createdById).toBe(actor.userId);
    // Version 1 is unchanged: a run enqueued before the save keeps its definition.
    const v1 = await db.workflowVersion.findUniqueOrThrow({ where: { workflowId_version: { workflowId: workflow.id, version: 1 } } });
    expect((v1.config as { customizations?: unknown[] }).customizations ?? []).toEqual([]);

    await saveCustomization({ db, orgId: org.id, actor, input: { workflowId: workflow.id, originalName: "Prospect", name: "Prospect's company", statement: STATEMENT.replace("id = 1", "id = 2"), params: [companyParam] } });
    expect((await listCustomizations({ db, orgId: org.id, workflowId: workflow.id })).customizations.map((c) => c.name)).toEqual(["Prospect's company"]);
    expect(await listDemoWorkflows({ db, orgId: org.id })).toEqual([{ id: workflow.id, name: "Demo twin", params: [{ name: "company_name", label: "Company name" }] }]);

    await deleteCustomization({ db, orgId: org.id, actor, workflowId: workflow.id, name: "Prospect's company" });
    const after = await listCustomizations({ db, orgId: org.id, workflowId: workflow.id });
    expect(after.customizations).toEqual([]);
    expect(after.workflow.currentVersion).toBe(4);
    expect(await listDemoWorkflows({ db, orgId: org.id })).toEqual([]);
    expect(await db.auditLog.count({ where: { orgId: org.id, action: { startsWith: "workflow.customization_" } } })).toBe(3);
  });

  it("are stored only in the workflow config: the app database has no customizations table", async () => {
    const { rows } = await pool.query<{ t: string | null }>(`SELECT to_regclass('public.customizations')::text AS t`);
    expect(rows[0]!.t).toBeNull();
  });

  it("is checked with the engine's parser: one statement, parameters used = parameters declared", async () => {
    const { org, workflow, actor } = await setup();
    const save = (statement: string, params = [companyParam], name = "C") => saveCustomization({ db, orgId: org.id, actor, input: { workflowId: workflow.id, name, statement, params } });
    await expect(save(`${STATEMENT}; DELETE FROM companies`)).rejects.toMatchObject({ code: "VALIDATION", fieldErrors: { statement: [expect.stringMatching(/Only one SQL statement/)] } });
    await expect(save("UPDATE companies SET name = %(company_name)s, logo_url = %(logo)s")).rejects.toMatchObject({ fieldErrors: { statement: [expect.stringMatching(/%\(logo\)s/)] } });
    await expect(save("UPDATE companies SET name = 'x'")).rejects.toMatchObject({ fieldErrors: { params: [expect.stringMatching(/company_name is declared but not used/)] } });
    await expect(save("UPDATE companies SET name = 'unclosed")).rejects.toMatchObject({ fieldErrors: { statement: [expect.stringMatching(/not closed/)] } });
    // PostgreSQL's grammar: a syntax error is refused at save, with the position and token; no version is saved.
    await expect(save("UPDATE companies SET name = %(company_name)s WHERE WHERE id = 1")).rejects.toMatchObject({
      code: "VALIDATION", fieldErrors: { statement: ['Syntax error at or near "WHERE" (line 1, column 52).'] },
    });
    expect((await listCustomizations({ db, orgId: org.id, workflowId: workflow.id })).workflow.currentVersion).toBe(1);
    // `:name` placeholders are accepted; casts are not parameters.
    await expect(save("UPDATE companies SET name = :company_name::text WHERE id = 1")).resolves.toMatchObject({ version: 2 });
    await expect(save(STATEMENT, [companyParam], "C")).rejects.toMatchObject({ fieldErrors: { name: [expect.stringMatching(/Another customization/)] } });
    expect((await listCustomizations({ db, orgId: org.id, workflowId: workflow.id })).workflow.currentVersion).toBe(2);
  });

  it("needs a set-up workflow, and another organisation's workflow looks missing", async () => {
    const { org, actor } = await setup();
    const bare = await db.workflow.create({ data: { orgId: org.id, name: "Not set up" } });
    await expect(saveCustomization({ db, orgId: org.id, actor, input: { workflowId: bare.id, name: "C", statement: STATEMENT, params: [companyParam] } })).rejects.toMatchObject({ code: "CONFLICT" });
    const other = await setup();
    await expect(saveCustomization({ db, orgId: org.id, actor, input: { workflowId: other.workflow.id, name: "C", statement: STATEMENT, params: [companyParam] } })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(saveCustomizationValues({ db, orgId: org.id, input: { workflowId: other.workflow.id, values: { company_name: "X" } } })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(startRun({ db, pool, orgId: org.id, actor, workflowId: other.workflow.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await db.job.count({ where: { workflowId: other.workflow.id } })).toBe(0);
  });
});

describe("demo values and reset", () => {
  async function withCustomizations() {
    const s = await setup();
    await saveCustomization({
      db, orgId: s.org.id, actor: s.actor,
      input: {
        workflowId: s.workflow.id, name: "Prospect",
        statement: "UPDATE companies SET name = %(company_name)s, logo_url = %(logo)s, plan = CASE WHEN %(vip)s THEN 'enterprise' ELSE plan END WHERE id = %(id)s",
        params: [companyParam, { name: "logo", label: "Logo URL", type: "url" }, { name: "vip", label: "VIP", type: "boolean" }, { name: "id", label: "Company id", type: "number" }],
      },
    });
    return s;
  }

  it("values are checked by type with the engine's coercion and stored on the workflow", async () => {
    const { org, workflow } = await withCustomizations();
    const save = (values: Record<string, string | boolean>) => saveCustomizationValues({ db, orgId: org.id, input: { workflowId: workflow.id, values } });
    await expect(save({ company_name: " ", logo: "ftp://x", vip: "yes", id: "one" })).rejects.toMatchObject({
      code: "VALIDATION",
      fieldErrors: { company_name: [expect.stringMatching(/Enter company name/)], logo: [expect.stringMatching(/http\(s\) URL/)], vip: [expect.any(String)], id: [expect.stringMatching(/not a number/)] },
    });
    const stored = await save({ company_name: "  Acme Corp ", logo: "https://acme.example/logo.png", vip: true, id: "1", stray: "dropped" });
    expect(stored).toEqual({ company_name: "Acme Corp", logo: "https://acme.example/logo.png", vip: true, id: "1" });
    expect((await db.workflow.findUniqueOrThrow({ where: { id: workflow.id } })).customizationValues).toEqual(stored);
  });

  it("Reset demo now: an editor saves values and queues one clone; repeated clicks join it; a viewer is refused", async () => {
    const { org, workflow, editor, viewer } = await withCustomizations();
    const reset = getRegisteredAction("demo.reset");
    const input = { workflowId: workflow.id, values: { company_name: "Acme Corp", logo: "https://acme.example/l.png", vip: false, id: "1" } };
    const first = await reset.invoke({ db, userId: editor.id, orgSlug: org.slug, input });
    expect(first).toMatchObject({ ok: true, data: { coalesced: false, jobId: expect.any(String) } });
    const again = await reset.invoke({ db, userId: editor.id, orgSlug: org.slug, input: { ...input, values: { ...input.values, company_name: "Globex" } } });
    expect(again).toMatchObject({ ok: true, data: { coalesced: true } });
    expect(again.ok && first.ok && again.data).toMatchObject({ jobId: (first as { data: { jobId: string } }).data.jobId });
    const jobs = await db.job.findMany({ where: { workflowId: workflow.id } });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ kind: "CLONE", status: "QUEUED", trigger: "MANUAL", triggeredByUserId: editor.id, workflowVersion: 2 });
    // The queued run reads the latest saved values when it starts.
    expect((await db.workflow.findUniqueOrThrow({ where: { id: workflow.id } })).customizationValues).toMatchObject({ company_name: "Globex" });

    for (const name of ["demo.reset", "demo.saveValues", "workflow.runNow"]) {
      const res = await getRegisteredAction(name).invoke({ db, userId: viewer.id, orgSlug: org.slug, input: name === "workflow.runNow" ? { workflowId: workflow.id } : input });
      expect(res, name).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    }
    const editorDefines = await getRegisteredAction("customization.save").invoke({ db, userId: editor.id, orgSlug: org.slug, input: { workflowId: workflow.id, name: "X", statement: STATEMENT, params: [companyParam] } });
    expect(editorDefines).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    expect(await db.job.count({ where: { workflowId: workflow.id } })).toBe(1);
  });

  it("a migration dry-run workflow cannot be run from the browser (it needs migration SQL)", async () => {
    const { org, workflow, actor } = await setup({ migrationDryRun: true });
    await expect(startRun({ db, pool, orgId: org.id, actor, workflowId: workflow.id })).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/migration/) });
  });
});

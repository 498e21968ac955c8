import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createSourceAndTarget, type Databases, tableFingerprint } from "../../../test/worker/clone-fixture";
import { introspectSource } from "../../pipeline/introspect";
import type { CloneReport } from "../../pipeline/types";
import { ZPgConnection } from "../../schemas/connection";
import { saveConnection } from "../../server/services/connections/save-connection";
import { reviseWorkflowConfig } from "../../server/services/customizations/workflow-config";
import { startRun } from "../../server/services/jobs/start-run";
import { setUnreviewedColumns } from "../../server/services/orgs/set-unreviewed-columns";
import { saveWorkflow } from "../../server/services/workflows/save-workflow";
import { type AppTestDatabase, makeOrg, makeUser, openAppTestDatabase } from "../../server/testing/fixtures";
import { enqueueJob } from "../enqueue-job";
import { JobFailure } from "../errors";
import { claimNextJob } from "../queue";
import { runCloneJob } from "./clone";

// Privacy by default from the save to the worker, with the app's services, a real app database,
// a real source and target, and the clone handler run in-process: a version with unreviewed
// columns is a draft that no run path starts; "keep as is" makes it runnable; a column added to
// the source afterwards stops the next run before anything is written (the target unchanged),
// or with the organisation's "null until reviewed" setting is copied as NULL and reported; a
// missing customization value is asked for before any job exists.

let app: AppTestDatabase;
let dbs: Databases;

beforeAll(async () => {
  app = await openAppTestDatabase({ poolMax: 4 });
  dbs = await createSourceAndTarget(inject("adminUrl"), 40);
});
afterAll(async () => {
  await app?.close();
  await dbs?.drop();
});

async function setup() {
  const { db } = app;
  const owner = await makeUser(db);
  const org = await makeOrg(db, owner);
  const actor = { userId: owner.id, label: owner.email, role: "OWNER" as const };
  const u = new URL(dbs.sourceUrl);
  const settings = { host: u.hostname, port: u.port || "5432", database: dbs.source, user: decodeURIComponent(u.username), tlsMode: "disable" };
  const password = decodeURIComponent(u.password);
  const src = await saveConnection({ db, orgId: org.id, actor, name: "Source", kind: "POSTGRES", settings, secret: password });
  const intro = await introspectSource(ZPgConnection.parse({ ...settings, password }));
  await db.connection.update({ where: { id: src.id }, data: { introspection: JSON.parse(JSON.stringify(intro)), introspectedAt: new Date() } });
  const tgt = await saveConnection({ db, orgId: org.id, actor, name: "Twin", kind: "POSTGRES", settings: { ...settings, database: dbs.target }, secret: password });
  return { org, actor, owner, sourceId: src.id, targetId: tgt.id };
}

type Setup = Awaited<ReturnType<typeof setup>>;
const RULES = { email: { rule: "fake", kind: "email" }, full_name: { rule: "fake", kind: "full_name" }, note: { rule: "null" } };
const save = (s: Setup, rules: Record<string, unknown>, workflowId?: string, baseVersion?: number) => saveWorkflow({
  db: app.db, orgId: s.org.id, actor: s.actor,
  input: {
    workflowId, baseVersion, name: "Twin", schedule: { enabled: false, cron: "" },
    config: { version: 1, sourceConnectionId: s.sourceId, tables: [{ schema: "public", table: "customers", filter: { kind: "all" }, rules }], outputs: { target: { connectionId: s.targetId } } },
  },
});
const jobsOf = async (workflowId: string) => (await app.pool.query(`SELECT count(*)::int AS n FROM jobs WHERE workflow_id = $1`, [workflowId])).rows[0].n as number;

/** Claims the queued clone and runs it in-process as a worker would. */
async function work(jobId: string): Promise<CloneReport> {
  const job = await claimNextJob(app.pool, { workerId: "test", kinds: ["CLONE"], orgLimit: 2 });
  expect(job?.id).toBe(jobId);
  return (await runCloneJob({ job: job!, signal: new AbortController().signal, pool: app.pool, workerId: "test", onProgress: () => {}, log: () => {}, assertClaim: async () => {} })) as CloneReport;
}
const failure = (p: Promise<unknown>) => p.then(() => { throw new Error("expected the run to fail"); }, (e: unknown) => e as JobFailure);
const addColumn = (sql: string) => { const c = new pg.Client({ connectionString: dbs.sourceUrl }); return c.connect().then(() => c.query(sql)).finally(() => c.end()); };

describe("privacy by default: drafts, keep as is, fail closed on drift", () => {
  it("a version with unreviewed columns is a draft: Run now, the API's enqueue and the worker refuse it, naming the columns", async () => {
    const s = await setup();
    const saved = await save(s, RULES);
    expect(saved).toMatchObject({ draft: true, unreviewed: [{ schema: "public", table: "customers", columns: ["id", "gen"] }] });

    await expect(startRun({ db: app.db, pool: app.pool, orgId: s.org.id, actor: { userId: s.owner.id, label: s.owner.email, role: "OWNER" }, workflowId: saved.id })).rejects.toMatchObject({
      code: "VALIDATION", message: expect.stringContaining("public.customers (id, gen)"), fieldErrors: { unreviewed: ["customers.id", "customers.gen"] },
    });
    await expect(enqueueJob(app.pool, { orgId: s.org.id, kind: "CLONE", trigger: "API", workflowId: saved.id })).rejects.toMatchObject({ code: "UNREVIEWED_COLUMNS" });
    expect(await jobsOf(saved.id)).toBe(0);

    // A scheduled run is enqueued, and the worker refuses it (visible in the run history).
    const tick = (await enqueueJob(app.pool, { orgId: s.org.id, kind: "CLONE", trigger: "SCHEDULE", workflowId: saved.id, scheduleTick: new Date() })).job!;
    const err = await failure(work(tick.id));
    expect(err).toBeInstanceOf(JobFailure);
    expect(err).toMatchObject({ code: "UNREVIEWED_COLUMNS", message: expect.stringMatching(/^Version 1 of this workflow is a draft: these 2 columns have not been reviewed: public\.customers \(id, gen\)/), report: { unreviewed: [{ table: "customers", columns: ["id", "gen"] }] } });
    await app.pool.query(`UPDATE jobs SET status = 'FAILED', finished_at = now() WHERE id = $1`, [tick.id]);
  });

  it("'keep as is' reviews a column: the version runs; a column added to the source later stops the next run before writing, or is nulled by the org setting", async () => {
    const s = await setup();
    const draft = await save(s, RULES);
    const saved = await save(s, { ...RULES, id: { rule: "keep" }, gen: { rule: "keep" } }, draft.id, draft.version);
    expect(saved).toMatchObject({ draft: false, unreviewed: [] });
    const first = await startRun({ db: app.db, pool: app.pool, orgId: s.org.id, actor: { userId: s.owner.id, label: s.owner.email, role: "OWNER" }, workflowId: saved.id });
    const report = await work(first.jobId);
    expect(report.tables[0].rules).toContainEqual({ column: "id", rule: "keep", description: "Keep as is" });
    await app.pool.query(`UPDATE jobs SET status = 'SUCCEEDED', finished_at = now() WHERE id = $1`, [first.jobId]);
    const before = await tableFingerprint(dbs.targetUrl);
    expect(before.count).toBe(40);

    await addColumn("ALTER TABLE customers ADD COLUMN ssn text; UPDATE customers SET ssn = '900-00-' || lpad(id::text, 4, '0')");
    try {
      // The cached table list does not know the column yet: the run's own snapshot does.
      const next = await startRun({ db: app.db, pool: app.pool, orgId: s.org.id, actor: { userId: s.owner.id, label: s.owner.email, role: "OWNER" }, workflowId: saved.id });
      const err = await failure(work(next.jobId));
      expect(err).toMatchObject({ code: "UNREVIEWED_COLUMNS", message: expect.stringContaining("public.customers (ssn)"), report: { unreviewed: [{ schema: "public", table: "customers", columns: ["ssn"] }] } });
      expect(err.message).not.toContain("900-00");
      expect(await tableFingerprint(dbs.targetUrl)).toEqual(before);
      await app.pool.query(`UPDATE jobs SET status = 'FAILED', finished_at = now() WHERE id = $1`, [next.jobId]);

      await setUnreviewedColumns({ db: app.db, orgId: s.org.id, actor: s.actor, policy: "NULL" });
      expect(await app.db.auditLog.count({ where: { orgId: s.org.id, action: "org.unreviewed_columns_changed" } })).toBe(1);
      const nulled = await startRun({ db: app.db, pool: app.pool, orgId: s.org.id, actor: { userId: s.owner.id, label: s.owner.email, role: "OWNER" }, workflowId: saved.id });
      const nulledReport = await work(nulled.jobId);
      expect(nulledReport.unreviewedNulled).toEqual([{ schema: "public", table: "customers", columns: ["ssn"] }]);
      const c = new pg.Client({ connectionString: dbs.targetUrl });
      await c.connect();
      const ssn = (await c.query("SELECT count(*)::int AS n, count(ssn)::int AS set FROM customers").finally(() => c.end())).rows[0];
      expect(ssn).toEqual({ n: 40, set: 0 });
      await app.pool.query(`UPDATE jobs SET status = 'SUCCEEDED', finished_at = now() WHERE id = $1`, [nulled.jobId]);
    } finally {
      await addColumn("ALTER TABLE customers DROP COLUMN IF EXISTS ssn");
    }
  });

  it("Run now with a customization value missing asks for it, naming the parameter's label, and starts no run", async () => {
    const s = await setup();
    const draft = await save(s, RULES);
    const saved = await save(s, { ...RULES, id: { rule: "keep" }, gen: { rule: "keep" } }, draft.id, draft.version);
    await reviseWorkflowConfig({
      db: app.db, orgId: s.org.id, workflowId: saved.id, actor: s.actor,
      audit: { action: "workflow.customization_saved", target: "Prospect" },
      change: (config) => ({ ...config, customizations: [{ name: "Prospect", statement: "UPDATE customers SET note = %(company_name)s WHERE id = 1", params: [{ name: "company_name", label: "Company name", type: "text" }] }] }),
    });
    await expect(startRun({ db: app.db, pool: app.pool, orgId: s.org.id, actor: { userId: s.owner.id, label: s.owner.email, role: "OWNER" }, workflowId: saved.id })).rejects.toMatchObject({
      code: "VALIDATION", message: expect.stringContaining('"Company name" (customization "Prospect")'), fieldErrors: { company_name: ["Enter company name."] },
    });
    expect(await jobsOf(saved.id)).toBe(0);
    await app.db.workflow.update({ where: { id: saved.id }, data: { customizationValues: { company_name: "Acme" } } });
    await expect(startRun({ db: app.db, pool: app.pool, orgId: s.org.id, actor: { userId: s.owner.id, label: s.owner.email, role: "OWNER" }, workflowId: saved.id })).resolves.toMatchObject({ coalesced: false });
  });
});

import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db";
import { newApiKey } from "../api-keys/api-key-token";
import { type AppTestDatabase, makeOrg, makeUser , openAppTestDatabase } from "../../testing/fixtures";
import { cancelRun } from "./cancel-run";
import { dashboardSummary } from "./dashboard-summary";
import { getJobDetail } from "./get-job-detail";
import { getJobProgress } from "./get-job-progress";
import { JOB_PAGE_SIZE, listJobs, ZJobFilter } from "./list-jobs";
import { runAgain } from "./run-again";

// Job history, the job page's data and poll, cancel / run again and the dashboard, on a real
// app database with jobs in every state (written directly: no worker needed to read them).

let db: Db;
let pool: pg.Pool;
let app: AppTestDatabase;
beforeAll(async () => {
  app = await openAppTestDatabase({ poolMax: 3 });
  ({ db, pool } = app);
});
afterAll(() => app.close());

const REPORT = { tables: [], privacyCheck: { passed: true, columnsChecked: 0, valuesChecked: 0, leaks: [] }, outputs: {}, customizations: [], skipped: [], totals: { rowsRead: 1200, rowsWritten: 1200, bytes: 1, durationMs: 1 } };

async function setup() {
  const [owner, viewer] = [await makeUser(db, { name: "Ada Owner" }), await makeUser(db)];
  const org = await makeOrg(db, owner, [{ user: viewer, role: "VIEWER" }]);
  const conn = await db.connection.create({ data: { orgId: org.id, name: "prod", kind: "POSTGRES", config: { host: "h", database: "d", user: "u" } } });
  const wfA = await db.workflow.create({ data: { orgId: org.id, name: "Alpha", cron: "0 3 * * *", scheduleEnabled: true } });
  const wfB = await db.workflow.create({ data: { orgId: org.id, name: "Beta" } });
  for (const w of [wfA, wfB]) {
    await db.workflowVersion.create({ data: { workflowId: w.id, version: 1, config: { version: 1, sourceConnectionId: conn.id, tables: [{ schema: "public", table: "t" }], outputs: { target: { connectionId: conn.id } } } } });
  }
  const key = newApiKey();
  const apiKey = await db.apiKey.create({ data: { orgId: org.id, name: "GitHub Actions", role: "EDITOR", prefix: key.prefix, keyHash: key.keyHash } });
  const t = (minAgo: number) => new Date(Date.now() - minAgo * 60_000);
  const job = (data: Record<string, unknown>) => db.job.create({ data: { orgId: org.id, kind: "CLONE", ...data } as never });
  const succeeded = await job({ workflowId: wfA.id, status: "SUCCEEDED", triggeredByUserId: owner.id, createdAt: t(60), startedAt: t(60), finishedAt: t(58), report: REPORT, input: { customizationValues: { company_name: "Acme" } } });
  const failed = await job({ workflowId: wfA.id, status: "FAILED", trigger: "API", triggeredByKeyId: apiKey.id, createdAt: t(30), startedAt: t(30), finishedAt: t(29), error: { code: "SOURCE_AUTH_FAILED", message: "The source rejected the password.", hint: "Check it." } });
  const oldFailure = await job({ workflowId: wfB.id, status: "FAILED", trigger: "SCHEDULE", createdAt: t(60 * 24 * 9), finishedAt: t(60 * 24 * 9), error: { code: "X", message: "old", hint: "" } });
  const running = await job({ workflowId: wfB.id, status: "RUNNING", triggeredByUserId: owner.id, createdAt: t(1), startedAt: t(1), progress: { phase: "copying", tables: [{ schema: "public", table: "t", phase: "copying", rowsDone: 10, bytesDone: 100, rowsEstimate: 100 }], updatedAt: new Date().toISOString() } });
  for (let i = 0; i < 3; i++) await db.jobLog.create({ data: { jobId: running.id, level: "info", message: `line ${i}` } });
  return { owner, viewer, org, wfA, wfB, conn, succeeded, failed, oldFailure, running };
}

describe("job history", () => {
  it("lists newest first with who started each run, duration and rows; filters by status and workflow", async () => {
    const s = await setup();
    const all = await listJobs({ db, orgId: s.org.id, filter: ZJobFilter.parse({}) });
    expect(all.items.map((j) => j.id)).toEqual([s.running.id, s.failed.id, s.succeeded.id, s.oldFailure.id]);
    const byId = new Map(all.items.map((j) => [j.id, j]));
    expect(byId.get(s.succeeded.id)).toMatchObject({ triggeredBy: "Ada Owner", rowsCopied: 1200, durationMs: 120_000, workflow: { name: "Alpha" }, deltaRun: null });
    expect(byId.get(s.failed.id)).toMatchObject({ triggeredBy: "API key GitHub Actions", rowsCopied: null, error: { message: "The source rejected the password." } });
    expect(byId.get(s.oldFailure.id)).toMatchObject({ triggeredBy: "Schedule" });
    const failed = await listJobs({ db, orgId: s.org.id, filter: ZJobFilter.parse({ status: "FAILED", workflowId: s.wfA.id }) });
    expect(failed.items.map((j) => j.id)).toEqual([s.failed.id]);
    // Junk in the URL is ignored rather than an error page.
    expect(ZJobFilter.parse({ status: "NOPE", workflowId: "x", page: "-3" })).toEqual({ page: 1 });
  });

  it("pages through long histories", async () => {
    const s = await setup();
    await db.job.createMany({ data: Array.from({ length: JOB_PAGE_SIZE + 5 }, (_, i) => ({ orgId: s.org.id, kind: "CLONE" as const, workflowId: s.wfB.id, status: "SUCCEEDED" as const, createdAt: new Date(Date.now() - (i + 100) * 3600_000) })) });
    const p1 = await listJobs({ db, orgId: s.org.id, filter: ZJobFilter.parse({ workflowId: s.wfB.id }) });
    const p2 = await listJobs({ db, orgId: s.org.id, filter: ZJobFilter.parse({ workflowId: s.wfB.id, page: "2" }) });
    expect(p1.items).toHaveLength(JOB_PAGE_SIZE);
    expect(p1.hasNext).toBe(true);
    expect(p2.items).toHaveLength(7);
    expect(p2.hasNext).toBe(false);
    expect(new Set([...p1.items, ...p2.items].map((j) => j.id)).size).toBe(JOB_PAGE_SIZE + 7);
  });

  it("another organisation's jobs are neither listed nor readable nor polled", async () => {
    const a = await setup();
    const b = await setup();
    expect((await listJobs({ db, orgId: a.org.id, filter: ZJobFilter.parse({ workflowId: b.wfA.id }) })).items).toEqual([]);
    await expect(getJobDetail({ db, orgId: a.org.id, role: "OWNER", jobId: b.running.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(getJobDetail({ db, orgId: a.org.id, role: "OWNER", jobId: "not-a-uuid" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await getJobProgress({ db, orgId: a.org.id, role: "OWNER", jobId: b.running.id })).toBeNull();
    await expect(cancelRun({ pool, orgId: a.org.id, actor: { userId: null, label: "test", role: "OWNER" }, jobId: b.running.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(runAgain({ db, pool, orgId: a.org.id, actor: { userId: a.owner.id, label: "test", role: "OWNER" }, jobId: b.succeeded.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await db.job.findUniqueOrThrow({ where: { id: b.running.id } })).cancelRequestedAt).toBeNull();
  });
});

describe("job page", () => {
  it("detail has progress, report and the log; the poll returns only new log lines and says when the job is done", async () => {
    const s = await setup();
    const detail = await getJobDetail({ db, orgId: s.org.id, role: "VIEWER", jobId: s.running.id });
    expect(detail.progress?.tables[0]).toMatchObject({ table: "t", rowsDone: 10, rowsEstimate: 100 });
    expect(detail.logs.map((l) => l.message)).toEqual(["line 0", "line 1", "line 2"]);
    const poll = await getJobProgress({ db, orgId: s.org.id, role: "VIEWER", jobId: s.running.id });
    expect(poll).toMatchObject({ status: "RUNNING", done: false });
    const after = await getJobProgress({ db, orgId: s.org.id, role: "VIEWER", jobId: s.running.id, afterLogId: BigInt(detail.logs[1]!.id) });
    expect(after!.logs.map((l) => l.message)).toEqual(["line 2"]);
    expect(await getJobProgress({ db, orgId: s.org.id, role: "VIEWER", jobId: s.succeeded.id })).toMatchObject({ status: "SUCCEEDED", done: true });
  });

  it("a connection job's log, report, progress and error text only for roles that may see connections", async () => {
    const s = await setup();
    const editor = await makeUser(db);
    await db.membership.create({ data: { orgId: s.org.id, userId: editor.id, role: "EDITOR" } });
    const conJob = (kind: string, data: Record<string, unknown>) => db.job.create({ data: { orgId: s.org.id, kind, connectionId: s.conn.id, triggeredByUserId: s.owner.id, ...data } as never });
    const tested = await conJob("TEST_CONNECTION", { status: "SUCCEEDED", report: { kind: "POSTGRES", serverVersion: "16.2", user: "app_secret_user" } });
    const scanning = await conJob("PII_SCAN", { status: "RUNNING", progress: { phase: "scanning", tables: [{ schema: "hr", table: "salaries", phase: "scanning" }], updatedAt: new Date().toISOString() } });
    const failed = await conJob("INTROSPECT", { status: "FAILED", error: { code: "SOURCE_UNREACHABLE", message: "Cannot reach db.internal.example:5432.", hint: "Check the host." } });
    for (const j of [tested, scanning, failed]) await db.jobLog.create({ data: { jobId: j.id, level: "info", message: "Connected to PostgreSQL 16.2 as app_secret_user." } });

    for (const role of ["EDITOR", "VIEWER"] as const) {
      for (const j of [tested, scanning, failed]) {
        const detail = await getJobDetail({ db, orgId: s.org.id, role, jobId: j.id });
        expect(detail).toMatchObject({ detailsHidden: true, logs: [], report: null, progress: null, status: j.status });
        const poll = await getJobProgress({ db, orgId: s.org.id, role, jobId: j.id });
        expect(poll).toMatchObject({ status: j.status, logs: [], progress: null });
        expect(JSON.stringify([detail, poll])).not.toMatch(/app_secret_user|salaries|db\.internal/);
      }
      expect((await getJobDetail({ db, orgId: s.org.id, role, jobId: failed.id })).error).toMatchObject({ code: "SOURCE_UNREACHABLE", message: "This check failed." });
      // A clone's log stays visible to them.
      expect((await getJobDetail({ db, orgId: s.org.id, role, jobId: s.running.id })).logs).toHaveLength(3);
    }
    const admin = await getJobDetail({ db, orgId: s.org.id, role: "OWNER", jobId: tested.id });
    expect(admin).toMatchObject({ detailsHidden: false, report: { user: "app_secret_user" } });
    expect(admin.logs.map((l) => l.message)).toEqual(["Connected to PostgreSQL 16.2 as app_secret_user."]);
    expect((await getJobProgress({ db, orgId: s.org.id, role: "OWNER", jobId: scanning.id }))?.progress?.tables[0]).toMatchObject({ table: "salaries" });
    expect((await getJobDetail({ db, orgId: s.org.id, role: "ADMIN", jobId: failed.id })).error?.message).toMatch(/db\.internal/);
  });

  it("cancel: a running job is flagged, a finished one cannot be canceled", async () => {
    const s = await setup();
    expect(await cancelRun({ pool, orgId: s.org.id, actor: { userId: null, label: "test", role: "OWNER" }, jobId: s.running.id })).toBe("CANCEL_REQUESTED");
    expect((await db.job.findUniqueOrThrow({ where: { id: s.running.id } })).cancelRequestedAt).not.toBeNull();
    await expect(cancelRun({ pool, orgId: s.org.id, actor: { userId: null, label: "test", role: "OWNER" }, jobId: s.succeeded.id })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("run again queues the same workflow with the same input; a viewer may not", async () => {
    const s = await setup();
    await expect(runAgain({ db, pool, orgId: s.org.id, actor: { userId: s.viewer.id, label: "test", role: "VIEWER" }, jobId: s.succeeded.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const again = await runAgain({ db, pool, orgId: s.org.id, actor: { userId: s.owner.id, label: "test", role: "OWNER" }, jobId: s.succeeded.id });
    const job = await db.job.findUniqueOrThrow({ where: { id: again.jobId } });
    expect(job).toMatchObject({ kind: "CLONE", status: "QUEUED", workflowId: s.wfA.id, triggeredByUserId: s.owner.id, input: { customizationValues: { company_name: "Acme" } } });
  });

  it("run again of a run with migration SQL: an editor is refused (they could not have sent it), an admin may", async () => {
    const s = await setup();
    // Only a migration dry-run workflow takes migration SQL (migration-sql-rule.ts).
    await db.workflow.update({ where: { id: s.wfB.id }, data: { migrationDryRun: true } });
    const migration = await db.job.create({ data: { orgId: s.org.id, kind: "CLONE", workflowId: s.wfB.id, status: "SUCCEEDED", input: { migrationSql: "DROP TABLE t" } } });
    await expect(runAgain({ db, pool, orgId: s.org.id, actor: { userId: s.viewer.id, label: "test", role: "EDITOR" }, jobId: migration.id })).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringMatching(/migration SQL.*admins and owners/) });
    expect(await db.job.count({ where: { workflowId: s.wfB.id, status: "QUEUED" } })).toBe(0);
    const again = await runAgain({ db, pool, orgId: s.org.id, actor: { userId: s.owner.id, label: "test", role: "ADMIN" }, jobId: migration.id });
    expect(await db.job.findUniqueOrThrow({ where: { id: again.jobId } })).toMatchObject({ status: "QUEUED", input: { migrationSql: "DROP TABLE t" } });
  });
});

describe("dashboard", () => {
  it("last run and next schedule per workflow; failures of the last 7 days only", async () => {
    const s = await setup();
    const now = new Date();
    // A failed connection test is answered on the connection's form or page, not listed as a failure.
    await db.job.create({ data: { orgId: s.org.id, kind: "TEST_CONNECTION", status: "FAILED", finishedAt: now, error: { code: "SOURCE_AUTH_FAILED", message: "The PostgreSQL server refused the user name or password (connecting).", hint: "" } } });
    const d = await dashboardSummary({ db, orgId: s.org.id, now });
    expect(d.counts).toEqual({ connections: 1, workflows: 2, runs: 4 });
    const alpha = d.workflows.find((w) => w.name === "Alpha")!;
    const beta = d.workflows.find((w) => w.name === "Beta")!;
    expect(alpha.lastRun?.id).toBe(s.failed.id);
    expect(beta.lastRun?.id).toBe(s.running.id);
    expect(alpha.nextRun!.getTime()).toBeGreaterThan(now.getTime());
    expect(alpha.nextRun!.getUTCHours()).toBe(3);
    expect(beta.nextRun).toBeNull();
    expect(d.failures.map((f) => f.id)).toEqual([s.failed.id]);
    expect(d.failureCount).toBe(1);
  });

  it("an empty organisation has nothing yet (the checklist starts at step 1)", async () => {
    const owner = await makeUser(db);
    const org = await makeOrg(db, owner);
    expect(await dashboardSummary({ db, orgId: org.id })).toEqual({ counts: { connections: 0, workflows: 0, runs: 0 }, workflows: [], failures: [], failureCount: 0 });
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { enqueueDueSchedules } from "../../../jobs/scheduler";
import { getRegisteredAction } from "../../action-registry";
import { createPrisma } from "../../db";
import { errorResponse, toActionError } from "../../errors";
import { runOrgAction } from "../../tenancy/org-action";
import { makeOrg, makeUser, openAppTestDatabase, type AppTestDatabase } from "../../testing/fixtures";
import { createApiKey } from "../api-keys/create-api-key";
import { startRun } from "./start-run";

// The one start-run door (start-run.ts) on a real app database, no worker: who started each run
// is in the audit log (a member, an API key, or "schedule"), as are demo resets and cancels; and
// a failing app database is reported as unavailable, never as a missing workflow.

let app: AppTestDatabase;
type RouteHandler = (req: Request, ctx: { params: Promise<{ id: string }> }) => Promise<Response>;
let apiStart: RouteHandler;
let apiCancel: RouteHandler;

beforeAll(async () => {
  app = await openAppTestDatabase();
  process.env.DATABASE_URL = app.tdb.url; // actions and route handlers use the process-wide clients
  await import("../../../../app/(app)/[orgSlug]/workflows/[id]/run-actions");
  await import("../../../../app/(app)/[orgSlug]/jobs/actions");
  await import("../../../../app/(app)/[orgSlug]/demo/actions");
  apiStart = (await import("../../../../app/api/v1/workflows/[id]/runs/route")).POST as RouteHandler;
  apiCancel = (await import("../../../../app/api/v1/runs/[id]/cancel/route")).POST as RouteHandler;
});
afterAll(() => app?.close());

async function setup() {
  const { db } = app;
  const [owner, editor] = [await makeUser(db), await makeUser(db)];
  const org = await makeOrg(db, owner, [{ user: editor, role: "EDITOR" }]);
  const conn = await db.connection.create({ data: { orgId: org.id, name: "db", kind: "POSTGRES", config: { host: "127.0.0.1", port: 5432, database: "twin", user: "u" } } });
  const workflow = await db.workflow.create({ data: { orgId: org.id, name: "Demo twin", createdAt: new Date(Date.now() - 3_600_000) } });
  await db.workflowVersion.create({
    data: {
      workflowId: workflow.id, version: 1,
      config: {
        version: 1, sourceConnectionId: conn.id, outputs: { target: { connectionId: conn.id } }, tables: [{ schema: "public", table: "companies" }],
        customizations: [{ name: "Prospect", statement: "UPDATE companies SET name = %(company_name)s WHERE id = 1", params: [{ name: "company_name", label: "Company name", type: "text" }] }],
      },
    },
  });
  return { owner, editor, org, workflow };
}

const entries = (orgId: string) =>
  app.db.auditLog.findMany({ where: { orgId }, orderBy: { createdAt: "asc" }, select: { action: true, actorId: true, actorLabel: true, target: true, details: true } });

describe("start a run", () => {
  it("audits every run started (member, API key, schedule), every demo reset and every cancel; a run joined adds none", async () => {
    const { owner, editor, org, workflow } = await setup();
    const act = (name: string, userId: string, input: unknown) => getRegisteredAction(name).invoke({ db: app.db, userId, orgSlug: org.slug, input });

    const reset = await act("demo.reset", editor.id, { workflowId: workflow.id, values: { company_name: "Acme Corp" } });
    expect(reset).toMatchObject({ ok: true, data: { coalesced: false } });
    const resetJob = (reset as { data: { jobId: string } }).data.jobId;
    expect(await act("workflow.runNow", owner.id, { workflowId: workflow.id })).toMatchObject({ ok: true, data: { jobId: resetJob, coalesced: true } });
    expect(await act("job.cancel", owner.id, { jobId: resetJob })).toMatchObject({ ok: true, data: { outcome: "CANCELED" } });

    const { key } = await createApiKey({ db: app.db, orgId: org.id, actor: { userId: owner.id, label: owner.email, role: "OWNER" }, data: { name: "CI", role: "EDITOR" } });
    const auth = { authorization: `Bearer ${key}` };
    const started = await apiStart(new Request(`http://localhost/api/v1/workflows/${workflow.id}/runs`, { method: "POST", headers: auth, body: "{}" }), { params: Promise.resolve({ id: workflow.id }) });
    expect(started.status).toBe(201);
    const apiJob = (await started.json()).jobId as string;
    const canceled = await apiCancel(new Request(`http://localhost/api/v1/runs/${apiJob}/cancel`, { method: "POST", headers: auth }), { params: Promise.resolve({ id: apiJob }) });
    expect(canceled.status).toBe(200);

    await app.db.workflow.update({ where: { id: workflow.id }, data: { cron: "*/5 * * * *", scheduleEnabled: true } });
    const [scheduled] = await enqueueDueSchedules(app.pool, new Date());
    expect(scheduled).toMatchObject({ workflowId: workflow.id, jobId: expect.any(String) });

    const keyLabel = expect.stringMatching(/^API key CI \(dpl_/);
    const audit = (await entries(org.id)).filter((e) => /^(run|demo)\./.test(e.action));
    // created_at has millisecond precision: entries written in the same millisecond may come in either order.
    expect(audit).toHaveLength(6);
    expect(audit).toEqual(expect.arrayContaining([
      { action: "run.started", actorId: editor.id, actorLabel: editor.email, target: "Demo twin", details: { jobId: resetJob, trigger: "manual" } },
      { action: "demo.reset", actorId: editor.id, actorLabel: editor.email, target: "Demo twin", details: { workflowId: workflow.id, jobId: resetJob } },
      { action: "run.canceled", actorId: owner.id, actorLabel: owner.email, target: resetJob, details: { outcome: "canceled" } },
      { action: "run.started", actorId: null, actorLabel: keyLabel, target: "Demo twin", details: { jobId: apiJob, trigger: "api" } },
      { action: "run.canceled", actorId: null, actorLabel: keyLabel, target: apiJob, details: { outcome: "canceled" } },
      { action: "run.started", actorId: null, actorLabel: "schedule", target: "Demo twin", details: { jobId: scheduled!.jobId, trigger: "schedule" } },
    ]));
  });

  it("a failing app database is UNAVAILABLE (503), never a missing workflow (404)", async () => {
    const { owner, org, workflow } = await setup();
    // Port 1 on this machine: nothing listens, every connection is refused.
    const down = createPrisma("postgresql://postgres@127.0.0.1:1/doppel", { max: 1 });
    try {
      const err = await startRun({ db: down, pool: app.pool, orgId: org.id, workflowId: workflow.id, actor: { userId: owner.id, label: owner.email, role: "OWNER" } }).catch((e: unknown) => e);
      const mapped = toActionError(err);
      expect(mapped.code).toBe("UNAVAILABLE");
      expect(mapped.message).not.toMatch(/not found/i);
      expect(errorResponse(err).status).toBe(503);
      // The tenancy door too: an outage while resolving the membership is not "that organisation was not found".
      const action = await runOrgAction({ name: "test.noop", schema: z.object({}), permission: ["workflow", "read"] }, async () => null, { db: down, userId: owner.id, orgSlug: org.slug, input: {} });
      expect(action).toMatchObject({ ok: false, error: { code: "UNAVAILABLE" } });
    } finally {
      await down.$disconnect();
    }
    // The same calls on the working database: a missing workflow is still a 404.
    const missing = await startRun({ db: app.db, pool: app.pool, orgId: org.id, workflowId: "00000000-0000-0000-0000-000000000000", actor: { userId: owner.id, label: owner.email, role: "OWNER" } }).catch((e: unknown) => e);
    expect(errorResponse(missing).status).toBe(404);
  });
});

import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, inject } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/db";
import { createCloneWorkflow, createConnection, createOrgWithSalt, createSourceAndTarget, type Databases, pgConnectionParts, tableFingerprint } from "../../../test/worker/clone-fixture";
import { spawnWorker, waitFor, type WorkerProcess } from "../../../test/worker/test-support";

// The run API, called through its exported route handlers with real Requests, against a real
// worker process running a real (small) clone.

let db: TestDatabase;
let dbs: Databases;
let app: pg.Pool;
let worker: WorkerProcess | undefined;
let routes: {
  startRun: typeof import("./workflows/[id]/runs/route").POST;
  getRun: typeof import("./runs/[id]/route").GET;
  cancelRun: typeof import("./runs/[id]/cancel/route").POST;
  createApiKey: typeof import("../../../lib/server/services/api-keys/create-api-key").createApiKey;
  revokeApiKey: typeof import("../../../lib/server/services/api-keys/revoke-api-key").revokeApiKey;
};

beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url; // the route handlers use the process-wide clients, created lazily
  app = new pg.Pool({ connectionString: db.url, max: 3 }).on("error", () => {}); // DROP DATABASE ... FORCE may hit a closing client
  dbs = await createSourceAndTarget(inject("adminUrl"), 200);
  routes = {
    startRun: (await import("./workflows/[id]/runs/route")).POST,
    getRun: (await import("./runs/[id]/route")).GET,
    cancelRun: (await import("./runs/[id]/cancel/route")).POST,
    createApiKey: (await import("../../../lib/server/services/api-keys/create-api-key")).createApiKey,
    revokeApiKey: (await import("../../../lib/server/services/api-keys/revoke-api-key")).revokeApiKey,
  };
});

afterAll(async () => {
  await worker?.stop("SIGKILL");
  await app?.end();
  await dbs?.drop();
  await db?.drop();
});

const admin = (role: "OWNER" | "VIEWER" = "OWNER") => ({ userId: null as unknown as string, label: "test admin", role });
const call = (url: string, init: RequestInit = {}) => new Request(`http://localhost${url}`, init);
const params = (id: string) => ({ params: Promise.resolve({ id }) });

async function setupOrg() {
  const orgId = await createOrgWithSalt(app);
  const adminUrl = inject("adminUrl");
  const sourceConnectionId = await createConnection(app, orgId, pgConnectionParts(adminUrl, dbs.source));
  const targetConnectionId = await createConnection(app, orgId, pgConnectionParts(adminUrl, dbs.target));
  const workflowId = await createCloneWorkflow(app, orgId, { sourceConnectionId, targetConnectionId });
  return { orgId, workflowId };
}

describe("run API", () => {
  it("starts a run with an API key, polls it to completion, and refuses wrong keys and other organisations' objects", { timeout: 90_000 }, async () => {
    const a = await setupOrg();
    const b = await setupOrg();
    const { key } = await routes.createApiKey({ orgId: a.orgId, actor: admin(), data: { name: "CI", role: "EDITOR" } });
    expect(key).toMatch(/^dpl_[A-Za-z0-9_-]{40,}$/);
    const auth = { authorization: `Bearer ${key}` };

    // 401: no key, unknown key
    for (const headers of [{}, { authorization: "Bearer dpl_nope" }] as Record<string, string>[]) {
      const res = await routes.startRun(call(`/api/v1/workflows/${a.workflowId}/runs`, { method: "POST", headers }), params(a.workflowId));
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toBe("UNAUTHENTICATED");
    }
    // 404: another organisation's workflow, like a missing one
    for (const id of [b.workflowId, "00000000-0000-0000-0000-000000000000", "not-a-uuid"]) {
      const res = await routes.startRun(call(`/api/v1/workflows/${id}/runs`, { method: "POST", headers: auth }), params(id));
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: { code: "NOT_FOUND", message: "That workflow was not found." } });
    }
    // 422: invalid body
    const bad = await routes.startRun(call(`/api/v1/workflows/${a.workflowId}/runs`, { method: "POST", headers: auth, body: '{"customizationValues": 5}' }), params(a.workflowId));
    expect(bad.status).toBe(422);
    expect((await bad.json()).error.code).toBe("VALIDATION");

    const started = await routes.startRun(call(`/api/v1/workflows/${a.workflowId}/runs`, { method: "POST", headers: auth, body: "{}" }), params(a.workflowId));
    expect(started.status).toBe(201);
    const { jobId, status } = await started.json();
    expect(status).toBe("queued");
    // Run now again while queued: the same run (200).
    const again = await routes.startRun(call(`/api/v1/workflows/${a.workflowId}/runs`, { method: "POST", headers: auth }), params(a.workflowId));
    expect(again.status).toBe(200);
    expect((await again.json()).jobId).toBe(jobId);

    // Another organisation's key cannot see the run.
    const other = await routes.createApiKey({ orgId: b.orgId, actor: admin(), data: { name: "B", role: "VIEWER" } });
    const hidden = await routes.getRun(call(`/api/v1/runs/${jobId}`, { headers: { authorization: `Bearer ${other.key}` } }), params(jobId));
    expect(hidden.status).toBe(404);

    worker = spawnWorker(db.url, "api-worker");
    const done = await waitFor(async () => {
      const res = await routes.getRun(call(`/api/v1/runs/${jobId}`, { headers: auth }), params(jobId));
      expect(res.status).toBe(200);
      const body = await res.json();
      return ["succeeded", "failed", "canceled"].includes(body.status) ? body : null;
    }, { timeoutMs: 60_000, intervalMs: 200, what: "the run to finish" });
    expect(done).toMatchObject({ status: "succeeded", attempts: 1, error: null, trigger: "api" });
    expect(done.report.totals.rowsWritten).toBe(200);
    expect((await tableFingerprint(dbs.targetUrl)).count).toBe(200);

    // A viewer key may read but not start runs; a revoked key stops working.
    const viewer = await routes.createApiKey({ orgId: a.orgId, actor: admin(), data: { name: "read", role: "VIEWER" } });
    const forbidden = await routes.startRun(call(`/api/v1/workflows/${a.workflowId}/runs`, { method: "POST", headers: { authorization: `Bearer ${viewer.key}` } }), params(a.workflowId));
    expect(forbidden.status).toBe(403);
    await routes.revokeApiKey({ orgId: a.orgId, actor: admin(), keyId: viewer.id });
    const revoked = await routes.getRun(call(`/api/v1/runs/${jobId}`, { headers: { authorization: `Bearer ${viewer.key}` } }), params(jobId));
    expect(revoked.status).toBe(401);
  });

  it("a connection job's report, progress and error text only for keys whose role may see connections", async () => {
    const a = await setupOrg();
    const { rows: [conn] } = await app.query<{ id: string }>(`SELECT id FROM connections WHERE org_id = $1 LIMIT 1`, [a.orgId]);
    const insertJob = async (kind: string, status: string, cols: { report?: object; error?: object; progress?: object }) => {
      const { rows } = await app.query<{ id: string }>(
        `INSERT INTO jobs (id, org_id, kind, status, connection_id, workflow_id, report, error, progress) VALUES (gen_random_uuid(), $1, $2::"JobKind", $3::"JobStatus", $4, $5, $6, $7, $8) RETURNING id`,
        [a.orgId, kind, status, kind === "CLONE" ? null : conn!.id, kind === "CLONE" ? a.workflowId : null, cols.report ?? null, cols.error ?? null, cols.progress ?? null],
      );
      return rows[0]!.id;
    };
    const tested = await insertJob("TEST_CONNECTION", "SUCCEEDED", { report: { kind: "POSTGRES", serverVersion: "16.2", user: "app_secret_user" } });
    const scan = await insertJob("PII_SCAN", "SUCCEEDED", { report: { totals: { tables: 1, columnsScanned: 2, columnsFlagged: 1 }, tables: [{ table: "salaries" }] } });
    const failed = await insertJob("INTROSPECT", "FAILED", { error: { code: "SOURCE_UNREACHABLE", message: "Cannot reach db.internal.example:5432.", hint: "Check the host." } });
    const clone = await insertJob("CLONE", "SUCCEEDED", { report: { totals: { rowsWritten: 7 } } });
    const get = async (key: string, id: string) => {
      const res = await routes.getRun(call(`/api/v1/runs/${id}`, { headers: { authorization: `Bearer ${key}` } }), params(id));
      expect(res.status).toBe(200);
      return res.json();
    };
    for (const role of ["EDITOR", "VIEWER"] as const) {
      const { key } = await routes.createApiKey({ orgId: a.orgId, actor: admin(), data: { name: role, role } });
      for (const id of [tested, scan]) expect(await get(key, id)).toMatchObject({ jobId: id, status: "succeeded", report: null, progress: null });
      const hidden = await get(key, failed);
      expect(hidden).toMatchObject({ status: "failed", error: { code: "SOURCE_UNREACHABLE", message: "This check failed." } });
      expect(JSON.stringify(hidden)).not.toContain("db.internal");
      expect((await get(key, clone)).report).toEqual({ totals: { rowsWritten: 7 } });
    }
    const { key } = await routes.createApiKey({ orgId: a.orgId, actor: admin(), data: { name: "admin", role: "ADMIN" } });
    expect((await get(key, tested)).report).toMatchObject({ user: "app_secret_user" });
    expect((await get(key, scan)).report.tables).toEqual([{ table: "salaries" }]);
    expect((await get(key, failed)).error.message).toContain("db.internal");
  });
});

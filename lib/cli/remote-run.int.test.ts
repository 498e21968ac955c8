import { mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, inject } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { createCloneWorkflow, createConnection, createOrgWithSalt, createSourceAndTarget, type Databases, pgConnectionParts } from "../../test/worker/clone-fixture";
import { spawnWorker, type WorkerProcess } from "../../test/worker/test-support";
import { parseArgs } from "./parse-args";
import { type RemoteIo, remoteRun } from "./remote-run";

// `doppel run --workflow <id> --wait` against the real route handlers (fetch is routed to them
// in-process) and a real worker process: a plain run, a migration dry-run that succeeds and
// one that fails (non-zero exit, failing statement, rolled back).

let db: TestDatabase;
let dbs: Databases;
let app: pg.Pool;
let worker: WorkerProcess;
let orgId: string;
let apiKey: string;
let sourceConnectionId: string;
let targetConnectionId: string;
let tmp: string;

function inProcessFetch(): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const req = new Request(input, init);
    const p = new URL(req.url).pathname;
    let m: RegExpExecArray | null;
    if ((m = /^\/api\/v1\/workflows\/([^/]+)\/runs$/.exec(p)) && req.method === "POST") {
      return (await import("../../app/api/v1/workflows/[id]/runs/route")).POST(req, { params: Promise.resolve({ id: m[1] }) });
    }
    if ((m = /^\/api\/v1\/runs\/([^/]+)\/cancel$/.exec(p)) && req.method === "POST") {
      return (await import("../../app/api/v1/runs/[id]/cancel/route")).POST(req, { params: Promise.resolve({ id: m[1] }) });
    }
    if ((m = /^\/api\/v1\/runs\/([^/]+)$/.exec(p))) {
      return (await import("../../app/api/v1/runs/[id]/route")).GET(req, { params: Promise.resolve({ id: m[1] }) });
    }
    return new Response("not found", { status: 404 });
  }) as typeof fetch;
}

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const value: RemoteIo = { out: (l) => out.push(l), err: (l) => err.push(l), fetch: inProcessFetch(), pollMs: 100 };
  return { io: value, out, err };
}

const cli = (argv: string[], x = io()) => remoteRun(parseArgs(["run", ...argv]), x.io).then((code) => ({ code, out: x.out.join("\n"), err: x.err.join("\n") }));

async function targetColumns(): Promise<string[]> {
  const c = new pg.Client({ connectionString: dbs.targetUrl });
  await c.connect();
  try {
    return (await c.query(`SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'customers' ORDER BY ordinal_position`)).rows.map((r) => r.column_name);
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  app = new pg.Pool({ connectionString: db.url, max: 3 }).on("error", () => {}); // DROP DATABASE ... FORCE may hit a closing client
  const adminUrl = inject("adminUrl");
  dbs = await createSourceAndTarget(adminUrl, 300);
  orgId = await createOrgWithSalt(app);
  sourceConnectionId = await createConnection(app, orgId, pgConnectionParts(adminUrl, dbs.source));
  targetConnectionId = await createConnection(app, orgId, pgConnectionParts(adminUrl, dbs.target));
  const { createApiKey } = await import("../server/services/api-keys/create-api-key");
  apiKey = (await createApiKey({ orgId, actor: { userId: null as unknown as string, label: "test", role: "OWNER" }, data: { name: "CI", role: "ADMIN" } })).key; // migration SQL needs workflow:update (admins)
  tmp = await mkdtemp(path.join(os.tmpdir(), "doppel-cli-"));
  worker = spawnWorker(db.url, "cli-worker");
});

afterAll(async () => {
  await worker?.stop("SIGKILL");
  await app?.end();
  await dbs?.drop();
  await db?.drop();
});

describe("doppel run --workflow --wait", () => {
  it("runs a workflow to completion and exits 0; refuses a wrong key with exit 2", { timeout: 60_000 }, async () => {
    const workflowId = await createCloneWorkflow(app, orgId, { sourceConnectionId, targetConnectionId });
    const ok = await cli(["--workflow", workflowId, "--wait", "--api-key", apiKey]);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain("Cloned 300 rows");
    expect(ok.out).toContain("Run succeeded.");
    const denied = await cli(["--workflow", workflowId, "--wait", "--api-key", "dpl_wrong"]);
    expect(denied.code).toBe(2);
    expect(denied.err).toMatch(/401 UNAUTHENTICATED/);
  });

  it("dry-runs a migration on a fresh clone: statements, locks and schema diff; a failing migration exits non-zero and is rolled back", { timeout: 90_000 }, async () => {
    const workflowId = await createCloneWorkflow(app, orgId, { sourceConnectionId, targetConnectionId, migrationDryRun: true });
    const good = path.join(tmp, "good.sql");
    await writeFile(good, "ALTER TABLE customers ADD COLUMN tier text;\nCREATE INDEX customers_tier_idx ON customers (tier);\n");
    const ok = await cli(["--workflow", workflowId, "--wait", "--api-key", apiKey, "--migration-file", good]);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/#1 ok \d+ ms locks: AccessExclusiveLock on public\.customers/);
    expect(ok.out).toMatch(/#2 ok \d+ ms locks: ShareLock on public\.customers/);
    expect(ok.out).toContain("added column public.customers.tier");
    expect(ok.out).toContain("added index public.customers_tier_idx");
    expect(await targetColumns()).toContain("tier");

    const bad = path.join(tmp, "bad.sql");
    await writeFile(bad, "ALTER TABLE customers ADD COLUMN tier text;\nALTER TABLE customers ADD CONSTRAINT no_rows CHECK (id < 0);\n");
    const failed = await cli(["--workflow", workflowId, "--wait", "--api-key", apiKey, "--migration-file", bad]);
    expect(failed.code).toBe(1);
    expect(failed.out).toMatch(/Statement #2 failed \(SQLSTATE 23514\)/);
    expect(failed.out).toMatch(/Run failed \(MIGRATION_FAILED\)/);
    // The clone replaced the target, and the failed migration's first statement was rolled back.
    expect(await targetColumns()).not.toContain("tier");
    const { rows } = await app.query(`SELECT status, report->'migration'->'failed'->>'index' AS idx FROM jobs WHERE workflow_id = $1 ORDER BY created_at DESC LIMIT 1`, [workflowId]);
    expect(rows[0]).toEqual({ status: "FAILED", idx: "2" });
  });
});

import net from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, inject } from "vitest";
import { createTestDatabase, type TestDatabase } from "../db";
import { allowEgressTo } from "../egress";
import { enqueueJob } from "../../lib/jobs/enqueue-job";
import { createCloneWorkflow, createConnection, createOrgWithSalt, createSourceAndTarget, type Databases, pgConnectionParts } from "./clone-fixture";
import { jobRow, spawnWorker, waitFor, type WorkerProcess } from "./test-support";

// A clone attempt fails transiently while a newer run of its workflow is queued: the worker's
// retry write ends it (that run does the same work) and the worker goes by the status written.
// The worker stops before that write (DOPPEL_FAULT_POINTS=final-write) until the newer run is queued.

let db: TestDatabase;
let dbs: Databases;
let app: pg.Pool;
let worker: WorkerProcess;
let closedPort: number;

beforeAll(async () => {
  db = await createTestDatabase();
  app = new pg.Pool({ connectionString: db.url, max: 3 }).on("error", () => {}); // DROP DATABASE ... FORCE may hit a closing client
  dbs = await createSourceAndTarget(inject("adminUrl"), 10);
  // A port nobody listens on: the source refuses every connection (SOURCE_UNREACHABLE, transient).
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  closedPort = (probe.address() as net.AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  allowEgressTo(`127.0.0.1:${closedPort}`); // before the worker starts: it inherits the setting
});

afterAll(async () => {
  await worker?.stop("SIGKILL");
  await app?.end();
  await dbs?.drop();
  await db?.drop();
});

describe("a retried clone that a queued run supersedes", () => {
  it("ends FAILED with finished_at and the reason, and the worker logs it as ended, not as retried", { timeout: 60_000 }, async () => {
    const adminUrl = inject("adminUrl");
    const orgId = await createOrgWithSalt(app);
    const sourceConnectionId = await createConnection(app, orgId, pgConnectionParts(adminUrl, dbs.source, { port: closedPort }));
    const targetConnectionId = await createConnection(app, orgId, pgConnectionParts(adminUrl, dbs.target));
    const workflowId = await createCloneWorkflow(app, orgId, { sourceConnectionId, targetConnectionId });
    const first = (await enqueueJob(app, { orgId, kind: "CLONE", workflowId })).job!;
    worker = spawnWorker(db.url, "superseded", { DOPPEL_FAULT_POINTS: "final-write" });
    await worker.waitForLog((l) => l.msg === "fault point reached" && l.point === "final-write");
    const next = (await enqueueJob(app, { orgId, kind: "CLONE", workflowId, trigger: "API" })).job!;
    expect(next.id).not.toBe(first.id);
    worker.proc.kill("SIGUSR2");

    const ended = await worker.waitForLog((l) => l.jobId === first.id && l.msg === "job ended");
    expect(ended).toMatchObject({ status: "FAILED", attempt: 1, reason: "superseded by the run already queued for its workflow" });
    expect(worker.logs.some((l) => l.jobId === first.id && l.msg === "attempt failed; queued for a retry")).toBe(false);
    const row = await jobRow(app, first.id);
    expect(row).toMatchObject({ status: "FAILED", attempts: 1, claim_token: null, error: { code: "SOURCE_UNREACHABLE", hint: "Not retried: the run already queued for this workflow replaces it." } });
    expect(row.finished_at).not.toBeNull();
    // The newer run is the one that goes on.
    await waitFor(async () => (await jobRow(app, next.id)).attempts >= 1, { what: "the queued run to start" });
  });
});

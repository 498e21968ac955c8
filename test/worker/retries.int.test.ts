import net from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, inject } from "vitest";
import { createTestDatabase, type TestDatabase } from "../db";
import { allowEgressTo } from "../egress";
import { enqueueJob } from "../../lib/jobs/enqueue-job";
import { createCloneWorkflow, createConnection, createOrgWithSalt, createSourceAndTarget, type Databases, pgConnectionParts } from "./clone-fixture";
import { jobRow, spawnWorker, waitFor, type WorkerProcess } from "./test-support";

// Transient errors retry with growing delays; permanent ones fail at once with a clear message.

let db: TestDatabase;
let dbs: Databases;
let app: pg.Pool;
let worker: WorkerProcess;
let proxy: net.Server;
const accepted: number[] = [];

/** Forwards to the real server, but closes the first `refuse` connections straight away. */
function refusingProxy(upstream: URL, refuse: number): Promise<net.Server> {
  const server = net.createServer((socket) => {
    accepted.push(Date.now());
    if (accepted.length <= refuse) return socket.destroy();
    const up = net.connect(Number(upstream.port || 5432), upstream.hostname);
    socket.pipe(up).pipe(socket);
    const close = () => (socket.destroy(), up.destroy());
    socket.on("error", close);
    up.on("error", close);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

async function runToEnd(jobId: string) {
  return waitFor(async () => {
    const row = await jobRow(app, jobId);
    return ["SUCCEEDED", "FAILED", "CANCELED"].includes(row.status) ? row : null;
  }, { timeoutMs: 60_000, intervalMs: 100, what: `job ${jobId} to end` });
}

beforeAll(async () => {
  db = await createTestDatabase();
  app = new pg.Pool({ connectionString: db.url, max: 3 }).on("error", () => {}); // DROP DATABASE ... FORCE may hit a closing client
  dbs = await createSourceAndTarget(inject("adminUrl"), 100);
  proxy = await refusingProxy(new URL(inject("adminUrl")), 2);
  allowEgressTo(`127.0.0.1:${(proxy.address() as net.AddressInfo).port}`); // before the worker starts: it inherits the setting
  worker = spawnWorker(db.url, "retrier", { WORKER_RETRY_BASE_MS: "400", WORKER_POLL_MS: "100" });
});

afterAll(async () => {
  await worker?.stop("SIGKILL");
  proxy?.close();
  await app?.end();
  await dbs?.drop();
  await db?.drop();
});

async function passwordIsChecked(adminUrl: string): Promise<boolean> {
  const u = new URL(adminUrl);
  u.password = "definitely-wrong";
  const client = new pg.Client({ connectionString: u.toString() });
  try {
    await client.connect();
    await client.end();
    return false; // trust authentication (the machine's local server): any password works
  } catch {
    return true;
  }
}

describe("retries", () => {
  it("succeeds on attempt 3 when the source refuses the first two connections, waiting longer each time", { timeout: 90_000 }, async () => {
    const adminUrl = inject("adminUrl");
    const orgId = await createOrgWithSalt(app);
    const port = (proxy.address() as net.AddressInfo).port;
    const sourceConnectionId = await createConnection(app, orgId, pgConnectionParts(adminUrl, dbs.source, { port }));
    const targetConnectionId = await createConnection(app, orgId, pgConnectionParts(adminUrl, dbs.target));
    const workflowId = await createCloneWorkflow(app, orgId, { sourceConnectionId, targetConnectionId });
    const job = (await enqueueJob(app, { orgId, kind: "CLONE", workflowId })).job!;
    const ended = await runToEnd(job.id);
    expect(ended).toMatchObject({ status: "SUCCEEDED", attempts: 3 });
    const { rows } = await app.query(`SELECT message FROM job_logs WHERE job_id = $1 AND message LIKE 'Attempt % failed%' ORDER BY id`, [job.id]);
    expect(rows).toHaveLength(2);
    for (const r of rows) expect(r.message).toMatch(/^Attempt \d failed \(SOURCE_UNREACHABLE\): /);
    const delays = rows.map((r) => Number(/Retrying in (\d+) ms/.exec(r.message)![1]));
    expect(delays[0]).toBeGreaterThanOrEqual(300);
    expect(delays[1]).toBeGreaterThan(delays[0]);
    // The proxy saw the attempts come in at least that far apart.
    expect(accepted[1] - accepted[0]).toBeGreaterThanOrEqual(delays[0]);
    expect(accepted[2] - accepted[1]).toBeGreaterThanOrEqual(delays[1]);
  });

  it("fails after one attempt with a clear message when the source refuses the credentials", { timeout: 60_000 }, async () => {
    const adminUrl = inject("adminUrl");
    const orgId = await createOrgWithSalt(app);
    // A wrong password where the server checks passwords; else (trust) a user that does not exist.
    const wrong = (await passwordIsChecked(adminUrl)) ? { password: "definitely-wrong" } : { user: "doppel_no_such_user" };
    const sourceConnectionId = await createConnection(app, orgId, pgConnectionParts(adminUrl, dbs.source, wrong));
    const targetConnectionId = await createConnection(app, orgId, pgConnectionParts(adminUrl, dbs.target));
    const workflowId = await createCloneWorkflow(app, orgId, { sourceConnectionId, targetConnectionId });
    const job = (await enqueueJob(app, { orgId, kind: "CLONE", workflowId })).job!;
    const ended = await runToEnd(job.id);
    expect(ended).toMatchObject({ status: "FAILED", attempts: 1 });
    expect(ended.error.code).toBe("SOURCE_AUTH_FAILED");
    expect(ended.error.message).toMatch(/refused the user name or password/);
    expect(ended.error.hint).toMatch(/Check the user name and password/);
    expect(JSON.stringify(ended.error)).not.toContain("definitely-wrong");
  });
});

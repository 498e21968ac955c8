import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, inject } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/db";
import { allowEgressTo } from "../../../test/egress";
import { freePort } from "../../../test/pg-server";
import { createConnection, createOrgWithSalt, createSourceAndTarget, type Databases, pgConnectionParts } from "../../../test/worker/clone-fixture";
import { jobRow, spawnWorker, waitFor, type WorkerProcess } from "../../../test/worker/test-support";
import { enqueueJob } from "../enqueue-job";

// TEST_CONNECTION and INTROSPECT jobs through a real worker process.

let db: TestDatabase;
let dbs: Databases;
let app: pg.Pool;
let worker: WorkerProcess;
let closedPort: number;

beforeAll(async () => {
  db = await createTestDatabase();
  app = new pg.Pool({ connectionString: db.url, max: 3 }).on("error", () => {}); // DROP DATABASE ... FORCE may hit a closing client
  dbs = await createSourceAndTarget(inject("adminUrl"), 10);
  closedPort = await freePort();
  allowEgressTo(`${new URL(inject("adminUrl")).hostname}:${closedPort}`); // before the worker starts: it inherits the setting
  worker = spawnWorker(db.url, "conn-worker");
});

afterAll(async () => {
  await worker?.stop("SIGKILL");
  await app?.end();
  await dbs?.drop();
  await db?.drop();
});

const runToEnd = (id: string) =>
  waitFor(async () => {
    const row = await jobRow(app, id);
    return ["SUCCEEDED", "FAILED", "CANCELED"].includes(row.status) ? row : null;
  }, { timeoutMs: 30_000, what: "the job to end" });

describe("connection jobs", () => {
  it("tests a connection: server facts on success, a plain-words error on failure", async () => {
    const orgId = await createOrgWithSalt(app);
    const adminUrl = inject("adminUrl");
    const good = await createConnection(app, orgId, pgConnectionParts(adminUrl, dbs.source));
    const ok = await runToEnd((await enqueueJob(app, { orgId, kind: "TEST_CONNECTION", connectionId: good, maxAttempts: 1 })).job!.id);
    expect(ok.status).toBe("SUCCEEDED");
    expect(ok.report).toMatchObject({ kind: "POSTGRES", serverMajor: inject("adminVersion"), canCreateSchemas: true });

    const closed = await createConnection(app, orgId, pgConnectionParts(adminUrl, dbs.source, { port: closedPort }));
    const failed = await runToEnd((await enqueueJob(app, { orgId, kind: "TEST_CONNECTION", connectionId: closed, maxAttempts: 1 })).job!.id);
    expect(failed).toMatchObject({ status: "FAILED", attempts: 1, error: { code: "SOURCE_UNREACHABLE" } });
    expect(failed.error.hint).toMatch(/host name and port/);
  });

  it("introspects a source and stores the table list on the connection; never another organisation's connection", async () => {
    const orgId = await createOrgWithSalt(app);
    const stranger = await createOrgWithSalt(app);
    const conn = await createConnection(app, orgId, pgConnectionParts(inject("adminUrl"), dbs.source));
    const done = await runToEnd((await enqueueJob(app, { orgId, kind: "INTROSPECT", connectionId: conn, maxAttempts: 1 })).job!.id);
    expect(done).toMatchObject({ status: "SUCCEEDED", report: { tableCount: 1, schemas: ["public"] } });
    const { rows } = await app.query(`SELECT introspection, introspected_at FROM connections WHERE id = $1`, [conn]);
    expect(rows[0].introspection.tables.map((t: { name: string }) => t.name)).toEqual(["customers"]);
    expect(rows[0].introspected_at).toBeInstanceOf(Date);

    const foreign = await runToEnd((await enqueueJob(app, { orgId: stranger, kind: "INTROSPECT", connectionId: conn, maxAttempts: 1 })).job!.id);
    expect(foreign).toMatchObject({ status: "FAILED", error: { code: "INVALID_INPUT", message: "The connection no longer exists." } });
  });
});

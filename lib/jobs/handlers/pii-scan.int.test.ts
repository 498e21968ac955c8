import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, inject } from "vitest";
import { adminQuery, createTestDatabase, type TestDatabase } from "@/test/db";
import { withDatabase } from "@/test/pg-server";
import { createConnection, createOrgWithSalt, pgConnectionParts } from "@/test/worker/clone-fixture";
import { jobRow, spawnWorker, waitFor, type WorkerProcess } from "@/test/worker/test-support";
import { ZPiiScanResult } from "../../pii/types";
import { enqueueJob } from "../enqueue-job";
import { JobFailure } from "../errors";
import type { ClaimedJob } from "../queue";
import { runPiiScanJob } from "./pii-scan";
import type { JobContext } from "./types";

// PII_SCAN end to end: a connection stored the way the app stores it (secret encrypted), the
// handler called directly, and a real worker process claiming a queued scan job.

let db: TestDatabase;
let app: pg.Pool;
let source: string;
let orgId: string;
let connectionId: string;
let worker: WorkerProcess | null = null;

beforeAll(async () => {
  const adminUrl = inject("adminUrl");
  db = await createTestDatabase();
  app = new pg.Pool({ connectionString: db.url, max: 3 });
  source = `doppel_pii_${randomBytes(5).toString("hex")}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${source}`);
  const c = new pg.Client({ connectionString: withDatabase(adminUrl, source) });
  await c.connect();
  await c.query(`CREATE TABLE people (id int PRIMARY KEY, email text, phone text, status text);
    INSERT INTO people SELECT g, 'person' || g || '@mail.example', '+1-555-' || lpad((g % 1000)::text, 3, '0') || '-' || lpad(g::text, 4, '0'), 'active'
    FROM generate_series(1, 300) g`);
  await c.end();
  orgId = await createOrgWithSalt(app);
  connectionId = await createConnection(app, orgId, pgConnectionParts(adminUrl, source));
});

afterAll(async () => {
  await worker?.stop("SIGKILL");
  await app?.end();
  await adminQuery(inject("adminUrl"), `DROP DATABASE IF EXISTS ${source} WITH (FORCE)`).catch(() => {});
  await db?.drop();
});

function context(job: Partial<ClaimedJob>) {
  const events: unknown[] = [];
  const logs: string[] = [];
  const ctx: JobContext = {
    job: { id: "00000000-0000-0000-0000-000000000000", orgId, kind: "PII_SCAN", input: {}, connectionId, ...job } as ClaimedJob,
    signal: new AbortController().signal,
    pool: app,
    workerId: "test",
    onProgress: (e) => events.push(e),
    log: (l) => logs.push(l.message),
    assertClaim: async () => {},
  };
  return { ctx, events, logs };
}

describe("PII_SCAN handler", () => {
  it("scans the job's connection and returns the result as the report", async () => {
    const { ctx, events, logs } = context({ input: { sampleSize: 50 } });
    const report = ZPiiScanResult.parse(await runPiiScanJob(ctx));
    const people = report.tables.find((t) => t.table === "people")!;
    expect(people.columns.map((c) => [c.column, c.category])).toEqual(expect.arrayContaining([["email", "email"], ["phone", "phone"]]));
    expect(people.clean).toContain("status");
    expect(report.sampleSize).toBe(50);
    expect(events).toContainEqual(expect.objectContaining({ type: "table", table: expect.objectContaining({ table: "people", phase: "done" }) }));
    expect(logs.join("\n")).not.toMatch(/@mail\.example/);
  });

  it("refuses another organisation's connection, a missing one and bad options", async () => {
    const otherOrg = await createOrgWithSalt(app);
    await expect(runPiiScanJob(context({ orgId: otherOrg }).ctx)).rejects.toMatchObject({ code: "INVALID_INPUT", message: "The scanned connection no longer exists." });
    await expect(runPiiScanJob(context({ connectionId: null }).ctx)).rejects.toBeInstanceOf(JobFailure);
    await expect(runPiiScanJob(context({ input: { sampleSize: -1 } }).ctx)).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });

  it("runs as a queued job in a real worker", async () => {
    const { job } = await enqueueJob(app, { orgId, kind: "PII_SCAN", connectionId, input: { sampleSize: 30 } });
    worker = spawnWorker(db.url, `pii-${randomBytes(3).toString("hex")}`);
    const done = await waitFor(async () => {
      const row = await jobRow(app, job!.id);
      return ["SUCCEEDED", "FAILED", "CANCELED"].includes(row.status) ? row : null;
    }, { timeoutMs: 45_000, intervalMs: 100, what: "the scan job to end" });
    expect(done.error).toBeNull();
    expect(done.status).toBe("SUCCEEDED");
    const report = ZPiiScanResult.parse(done.report);
    expect(report.tables[0].columns.find((c) => c.column === "email")?.category).toBe("email");
  }, 60_000);
});

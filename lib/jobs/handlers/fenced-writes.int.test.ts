import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, inject } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/db";
import { CUSTOMER_RULES, createCloneWorkflow, createConnection, createOrgWithSalt, createSourceAndTarget, type Databases, pgConnectionParts, tableFingerprint } from "../../../test/worker/clone-fixture";
import { createOrg } from "../../../test/worker/test-support";
import { enqueueJob } from "../enqueue-job";
import { JobFailure } from "../errors";
import { type ClaimedJob, claimNextJob, heartbeat, type JobKind } from "../queue";
import { runCloneJob } from "./clone";
import { runNoop } from "./noop";
import type { JobContext } from "./types";
import type { CloneReport } from "../../pipeline/types";

// Handlers that write outside the queue's own statements write only while the worker holds the
// claim: handlers run in-process here, and the claim is taken away at a chosen moment.

let db: TestDatabase;
let pool: pg.Pool;
let dbs: Databases;

beforeAll(async () => {
  db = await createTestDatabase();
  pool = new pg.Pool({ connectionString: db.url, max: 5 }).on("error", () => {}); // DROP DATABASE ... FORCE may hit a closing client
  dbs = await createSourceAndTarget(inject("adminUrl"), 50);
});

afterAll(async () => {
  await pool?.end();
  await dbs?.drop();
  await db?.drop();
});

const claimOne = async (kind: JobKind, id: string) => {
  const job = await claimNextJob(pool, { workerId: "me", kinds: [kind], orgLimit: 2 });
  expect(job?.id).toBe(id);
  return job!;
};

/** Another worker takes the job over (as after a reclaim): the old claim token stops working. */
const takeOver = (id: string) => pool.query(`UPDATE jobs SET claim_token = gen_random_uuid(), claimed_by = 'new-owner' WHERE id = $1`, [id]);

function context(job: ClaimedJob, assertClaim: () => Promise<void>): JobContext {
  return { job, signal: new AbortController().signal, pool, workerId: "me", onProgress: () => {}, log: () => {}, assertClaim };
}

const realAssertClaim = (job: ClaimedJob) => async () => {
  if (!(await heartbeat(pool, job))) throw new JobFailure("CLAIM_LOST", "This worker no longer owns the job.");
};

describe("fenced handler writes", () => {
  it("NOOP records its run only while it holds the claim", async () => {
    const orgId = await createOrg(pool);
    const lost = (await enqueueJob(pool, { orgId, kind: "NOOP" })).job!;
    const mine = await claimOne("NOOP", lost.id);
    await takeOver(lost.id);
    await expect(runNoop(context(mine, realAssertClaim(mine)))).rejects.toMatchObject({ code: "CLAIM_LOST" });
    expect((await pool.query(`SELECT count(*)::int AS n FROM noop_runs WHERE job_id = $1`, [lost.id])).rows[0].n).toBe(0);

    const kept = (await enqueueJob(pool, { orgId, kind: "NOOP" })).job!;
    const held = await claimOne("NOOP", kept.id);
    expect(await runNoop(context(held, realAssertClaim(held)))).toEqual({ worker: "me" });
    expect((await pool.query(`SELECT worker FROM noop_runs WHERE job_id = $1`, [kept.id])).rows).toEqual([{ worker: "me" }]);
  });

  it("a migration dry-run whose claim is lost right after the swap does not apply the migration", { timeout: 60_000 }, async () => {
    const orgId = await createOrgWithSalt(pool);
    const adminUrl = inject("adminUrl");
    const sourceConnectionId = await createConnection(pool, orgId, pgConnectionParts(adminUrl, dbs.source));
    const targetConnectionId = await createConnection(pool, orgId, pgConnectionParts(adminUrl, dbs.target));
    const workflowId = await createCloneWorkflow(pool, orgId, { sourceConnectionId, targetConnectionId, migrationDryRun: true });
    const queued = (await enqueueJob(pool, { orgId, kind: "CLONE", workflowId, input: { migrationSql: "ALTER TABLE customers ADD COLUMN tier text;" } })).job!;
    const job = await claimOne("CLONE", queued.id);
    let checks = 0;
    const assertClaim = async () => {
      await realAssertClaim(job)();
      if (++checks === 1) await takeOver(job.id); // the swap's check passed; then the job is lost
    };
    await expect(runCloneJob(context(job, assertClaim))).rejects.toMatchObject({ code: "CLAIM_LOST" });
    expect((await tableFingerprint(dbs.targetUrl)).count).toBe(50); // the clone was swapped in
    const c = new pg.Client({ connectionString: dbs.targetUrl });
    await c.connect();
    try {
      const { rows } = await c.query(`SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'customers'`);
      expect(rows.map((r) => r.column_name)).not.toContain("tier");
    } finally {
      await c.end();
    }
  });

  it("CLONE into a delta target loads the last run's delta state and replaces it only while it holds the claim", { timeout: 60_000 }, async () => {
    const orgId = await createOrgWithSalt(pool);
    const adminUrl = inject("adminUrl");
    const sourceConnectionId = await createConnection(pool, orgId, pgConnectionParts(adminUrl, dbs.source));
    const targetConnectionId = await createConnection(pool, orgId, pgConnectionParts(adminUrl, dbs.target));
    const workflowId = await createCloneWorkflow(pool, orgId, { sourceConnectionId, targetConnectionId, config: {
      version: 1, sourceConnectionId,
      tables: [{ schema: "public", table: "customers", rules: CUSTOMER_RULES, knownColumns: ["id", "email", "full_name", "note", "gen"] }],
      outputs: { target: { connectionId: targetConnectionId, delta: {} } },
    } });
    // Earlier tests leave clones of the same target database running (taken over): end them.
    await pool.query(`UPDATE jobs SET status = 'FAILED', finished_at = now() WHERE status = 'RUNNING'`);
    const states = async () => (await pool.query(`SELECT job_id, schema_name, table_name FROM delta_states WHERE workflow_id = $1`, [workflowId])).rows;
    const first = await claimOne("CLONE", (await enqueueJob(pool, { orgId, kind: "CLONE", workflowId })).job!.id);
    const r1 = await runCloneJob(context(first, realAssertClaim(first))) as CloneReport;
    expect(r1.delta?.run).toBe("full");
    await pool.query(`UPDATE jobs SET status = 'SUCCEEDED', finished_at = now() WHERE id = $1`, [first.id]);
    expect(await states()).toEqual([{ job_id: first.id, schema_name: "public", table_name: "customers" }]);
    // The snapshot's xmin is kept too (the watermark of xmin change detection).
    const xmin = (await pool.query(`SELECT snapshot_xmin FROM delta_states WHERE workflow_id = $1`, [workflowId])).rows[0].snapshot_xmin;
    expect(xmin).toBe(r1.delta!.tables[0].snapshotXmin);
    expect(xmin).toMatch(/^\d+$/);

    const second = await claimOne("CLONE", (await enqueueJob(pool, { orgId, kind: "CLONE", workflowId })).job!.id);
    let checks = 0;
    const assertClaim = async () => {
      await realAssertClaim(second)();
      if (++checks === 1) await takeOver(second.id); // the apply's check passed; then the job is lost
    };
    const r2 = await runCloneJob(context(second, assertClaim)) as CloneReport;
    expect(r2.delta?.run).toBe("delta"); // the first run's state was loaded
    expect(await states()).toEqual([{ job_id: first.id, schema_name: "public", table_name: "customers" }]);
  });
});

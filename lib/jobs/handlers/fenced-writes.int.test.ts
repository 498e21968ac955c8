import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/db";
import { createOrg } from "../../../workers/test-support";
import { enqueueJob } from "../enqueue-job";
import { JobFailure } from "../errors";
import { type ClaimedJob, claimNextJob, heartbeat, type JobKind } from "../queue";
import { runNoop } from "./noop";
import type { JobContext } from "./types";

// Handlers that write outside the queue's own statements write only while the worker holds the
// claim: handlers run in-process here, and the claim is taken away at a chosen moment.

let db: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  db = await createTestDatabase();
  pool = new pg.Pool({ connectionString: db.url, max: 5 }).on("error", () => {}); // DROP DATABASE ... FORCE may hit a closing client
});

afterAll(async () => {
  await pool?.end();
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

});

import { randomUUID } from "node:crypto";
import net from "node:net";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { createOrg, waitFor } from "../../test/worker/test-support";
import { enqueueJob } from "./enqueue-job";
import { cancelJob, ClaimOutcomeUnknown, claimNextJob, findClaim, finishJob, heartbeat, JOB_KINDS, reclaimExpiredJobs, releaseJob, retryJob, writeProgress } from "./queue";
import { SQL } from "./queue-sql";
import { enqueueDueSchedules } from "./scheduler";

// The queue's SQL against a real database, in-process (the worker-process tests are in test/worker/).

// Each test gets its own database: claims take any eligible job, so a job left behind by one
// test must not be what another test claims (no test depends on another's leftovers or order).
let db: TestDatabase;
let pool: pg.Pool;

beforeEach(async () => {
  db = await createTestDatabase();
  pool = new pg.Pool({ connectionString: db.url, max: 25 }).on("error", () => {}); // DROP DATABASE ... FORCE may hit a closing client
});

afterEach(async () => {
  await pool?.end();
  await db?.drop();
});

const claim = (workerId = "t", orgLimit = 2) => claimNextJob(pool, { workerId, kinds: JOB_KINDS, orgLimit });

/** Until a backend of this database waits for a row lock (the statement under test is blocked). */
async function waitForLockWait() {
  await waitFor(async () => (await pool.query(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)).rows[0].n > 0,
  { timeoutMs: 10_000, what: "the cancel to wait for the claimer's row lock" });
}

/**
 * A TCP proxy to the test database that, once armed, passes the next COMMIT on to the server and
 * then cuts the connection when the server answers: the transaction committed, the client never
 * hears so.
 */
async function commitAnswerDropper(url: string) {
  const upstream = new URL(url);
  let armed = false;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    const up = net.connect(Number(upstream.port || 5432), upstream.hostname);
    sockets.add(socket).add(up);
    let dropAnswer = false;
    const close = () => (socket.destroy(), up.destroy());
    socket.on("data", (chunk) => {
      if (armed && chunk.includes("COMMIT\0")) [armed, dropAnswer] = [false, true];
      up.write(chunk);
    });
    up.on("data", (chunk) => (dropAnswer ? close() : socket.write(chunk)));
    socket.on("error", close).on("close", close);
    up.on("error", close).on("close", close);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const proxied = new URL(url);
  proxied.host = `127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  return {
    url: proxied.toString(),
    arm: () => void (armed = true),
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

async function createWorkflow(orgId: string, extra: { cron?: string; createdAt?: Date; lastTickAt?: Date } = {}) {
  const { rows } = await pool.query(
    `INSERT INTO workflows (id, org_id, name, cron, schedule_enabled, created_at, last_tick_at, updated_at)
     VALUES (gen_random_uuid(), $1, $2, $3::text, $3::text IS NOT NULL, COALESCE($4::timestamptz, now()), $5::timestamptz, now()) RETURNING id`,
    [orgId, `wf-${Math.random().toString(36).slice(2)}`, extra.cron ?? null, extra.createdAt ?? null, extra.lastTickAt ?? null],
  );
  await pool.query(`INSERT INTO workflow_versions (id, workflow_id, version, config) VALUES (gen_random_uuid(), $1, 1, '{}')`, [rows[0].id]);
  return rows[0].id as string;
}

describe("claim", () => {
  it("keeps at most 2 long jobs of an organisation running; the third waits in order while other organisations run", async () => {
    const busy = await createOrg(pool);
    const other = await createOrg(pool);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await enqueueJob(pool, { orgId: busy, kind: "PII_SCAN" })).job!.id);
    const otherJob = (await enqueueJob(pool, { orgId: other, kind: "PII_SCAN" })).job!.id;
    // Claim concurrently from several "workers": the org lock must still hold the limit.
    const claimed = (await Promise.all([claim("a"), claim("b"), claim("c"), claim("d")])).filter(Boolean);
    const claimedIds = claimed.map((j) => j!.id).sort();
    expect(claimedIds).toEqual([ids[0], ids[1], otherJob].sort());
    expect(await claim("e")).toBeNull();
    // One finishes: the next of that organisation (in order) becomes claimable.
    const first = claimed.find((j) => j!.id === ids[0])!;
    expect(await finishJob(pool, first, { status: "SUCCEEDED", report: {} })).toBe(true);
    expect((await claim("e"))?.id).toBe(ids[2]);
  });

  it("lets connection tests and introspections of an organisation run while two long jobs fill its limit", async () => {
    const orgId = await createOrg(pool);
    const scans: string[] = [];
    for (let i = 0; i < 3; i++) scans.push((await enqueueJob(pool, { orgId, kind: "PII_SCAN" })).job!.id);
    const test = (await enqueueJob(pool, { orgId, kind: "TEST_CONNECTION" })).job!.id;
    const introspect = (await enqueueJob(pool, { orgId, kind: "INTROSPECT" })).job!.id;
    const claimed = [];
    for (let i = 0; i < 5; i++) claimed.push((await claim(`w${i}`))?.id ?? null);
    expect(claimed).toEqual([scans[0], scans[1], test, introspect, null]);
  });

  it("fences every write of a worker whose job was reclaimed", async () => {
    const orgId = await createOrg(pool);
    const { job } = await enqueueJob(pool, { orgId, kind: "NOOP" });
    const mine = (await claim("old"))!;
    expect(mine.id).toBe(job!.id);
    await pool.query(`UPDATE jobs SET heartbeat_at = now() - interval '1 minute' WHERE id = $1`, [mine.id]);
    const reclaimed = await reclaimExpiredJobs(pool, { leaseMs: 30_000, retryBaseMs: 0, retryMaxMs: 0 });
    expect(reclaimed).toEqual([{ id: mine.id, orgId, status: "QUEUED", attempts: 1 }]);
    const theirs = (await claim("new"))!;
    expect(theirs.attempts).toBe(2);
    expect(await heartbeat(pool, mine)).toBeNull();
    expect(await writeProgress(pool, mine, { phase: "copying" }, [{ level: "info", message: "late" }])).toBe(false);
    expect(await finishJob(pool, mine, { status: "FAILED", error: { code: "X", message: "late", hint: "" } })).toBe(false);
    expect(await retryJob(pool, mine, 0, { code: "X", message: "late", hint: "" })).toBeNull();
    expect(await finishJob(pool, theirs, { status: "SUCCEEDED", report: { ok: 1 } })).toBe(true);
    const { rows } = await pool.query(`SELECT status, report, claimed_by FROM jobs WHERE id = $1`, [mine.id]);
    expect(rows[0]).toEqual({ status: "SUCCEEDED", report: { ok: 1 }, claimed_by: "new" });
    const { rows: logs } = await pool.query(`SELECT message FROM job_logs WHERE job_id = $1`, [mine.id]);
    expect(logs.map((l) => l.message).join("\n")).not.toContain("late");
  });

  it("reports a claim whose COMMIT answer was lost with its token, which finds the job it took", async () => {
    const orgId = await createOrg(pool);
    const job = (await enqueueJob(pool, { orgId, kind: "NOOP" })).job!;
    const proxy = await commitAnswerDropper(db.url);
    const proxied = new pg.Pool({ connectionString: proxy.url, max: 1 }).on("error", () => {});
    try {
      proxy.arm();
      const err = await claimNextJob(proxied, { workerId: "unsure", kinds: JOB_KINDS, orgLimit: 2 }).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(ClaimOutcomeUnknown);
      const found = await findClaim(pool, (err as ClaimOutcomeUnknown).claimToken);
      expect(found).toMatchObject({ id: job.id, status: "RUNNING", attempts: 1, claimedBy: "unsure" });
      expect(await heartbeat(pool, found!)).toEqual({ cancelRequested: false }); // the token holds the claim
      expect(await findClaim(pool, randomUUID())).toBeNull();
    } finally {
      await proxied.end();
      proxy.close();
    }
  });

  it("fails a reclaimed job that has no attempts left", async () => {
    const orgId = await createOrg(pool);
    const { job } = await enqueueJob(pool, { orgId, kind: "NOOP", maxAttempts: 1 });
    await claim();
    await pool.query(`UPDATE jobs SET heartbeat_at = now() - interval '1 minute' WHERE id = $1`, [job!.id]);
    await reclaimExpiredJobs(pool, { leaseMs: 30_000, retryBaseMs: 0, retryMaxMs: 0 });
    const { rows } = await pool.query(`SELECT status, error->>'code' AS code FROM jobs WHERE id = $1`, [job!.id]);
    expect(rows[0]).toEqual({ status: "FAILED", code: "WORKER_LOST" });
  });
});

describe("run now", () => {
  it("20 concurrent requests for one workflow leave at most one queued and one running clone", async () => {
    const orgId = await createOrg(pool);
    const workflowId = await createWorkflow(orgId);
    await enqueueJob(pool, { orgId, kind: "CLONE", workflowId });
    const running = (await claim())!;
    expect(running.workflowId).toBe(workflowId);
    const results = await Promise.all(Array.from({ length: 20 }, () => enqueueJob(pool, { orgId, kind: "CLONE", workflowId, trigger: "API" })));
    const queuedIds = new Set(results.map((r) => r.job!.id));
    expect(queuedIds.size).toBe(1);
    expect(results.filter((r) => !r.coalesced)).toHaveLength(1);
    const { rows } = await pool.query(`SELECT status, count(*)::int AS n FROM jobs WHERE workflow_id = $1 GROUP BY 1 ORDER BY 1`, [workflowId]);
    expect(rows).toEqual([{ status: "QUEUED", n: 1 }, { status: "RUNNING", n: 1 }]);
    // The queued clone cannot start while the other one runs.
    expect(await claim()).toBeNull();
  });

  it("runs at most one clone per target database, even for different workflows", async () => {
    const orgId = await createOrg(pool);
    const { rows } = await pool.query(
      `INSERT INTO connections (id, org_id, name, kind, config, updated_at)
       VALUES (gen_random_uuid(), $1, 'shared target', 'POSTGRES', '{"host":"DB.example.test","port":5432,"database":"twin"}', now()) RETURNING id`,
      [orgId],
    );
    const config = JSON.stringify({ outputs: { target: { connectionId: rows[0].id } } });
    const [w1, w2] = [await createWorkflow(orgId), await createWorkflow(orgId)];
    await pool.query(`UPDATE workflow_versions SET config = $1 WHERE workflow_id = ANY($2::uuid[])`, [config, [w1, w2]]);
    const j1 = (await enqueueJob(pool, { orgId, kind: "CLONE", workflowId: w1 })).job!;
    const j2 = (await enqueueJob(pool, { orgId, kind: "CLONE", workflowId: w2 })).job!;
    expect(j1.targetKey).toBe("db.example.test:5432/twin");
    expect(j2.targetKey).toBe(j1.targetKey);
    const first = (await claim("a", 5))!;
    expect(first.id).toBe(j1.id);
    expect(await claim("b", 5)).toBeNull();
    await finishJob(pool, first, { status: "SUCCEEDED", report: {} });
    expect((await claim("b", 5))?.id).toBe(j2.id);
  });

  it("refuses another organisation's workflow like a missing one", async () => {
    const a = await createOrg(pool);
    const b = await createOrg(pool);
    const workflowId = await createWorkflow(b);
    await expect(enqueueJob(pool, { orgId: a, kind: "CLONE", workflowId })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("cancel", () => {
  it("cancels a queued job at once and flags a running one; never another organisation's", async () => {
    const orgId = await createOrg(pool);
    const stranger = await createOrg(pool);
    const queued = (await enqueueJob(pool, { orgId, kind: "NOOP" })).job!;
    expect(await cancelJob(pool, { orgId: stranger, jobId: queued.id })).toBeNull();
    expect(await cancelJob(pool, { orgId, jobId: queued.id })).toBe("CANCELED");
    expect((await pool.query(`SELECT status FROM jobs WHERE id = $1`, [queued.id])).rows[0].status).toBe("CANCELED");
    const runningJob = (await enqueueJob(pool, { orgId, kind: "NOOP" })).job!;
    const held = (await claim())!;
    expect(held.id).toBe(runningJob.id);
    expect(await cancelJob(pool, { orgId, jobId: runningJob.id })).toBe("CANCEL_REQUESTED");
    expect(await heartbeat(pool, held)).toEqual({ cancelRequested: true });
    expect(await cancelJob(pool, { orgId, jobId: "not-a-uuid" })).toBeNull();
  });

  it("flags a job whose claim commits while the cancel waits for its row", async () => {
    const orgId = await createOrg(pool);
    const job = (await enqueueJob(pool, { orgId, kind: "PII_SCAN" })).job!;
    const claimer = await pool.connect();
    try {
      await claimer.query("BEGIN");
      const { rows } = await claimer.query(SQL.claim, [orgId, "racer", 2, ["PII_SCAN"], randomUUID()]);
      expect(rows[0].id).toBe(job.id);
      const cancelled = cancelJob(pool, { orgId, jobId: job.id });
      await waitForLockWait();
      await claimer.query("COMMIT");
      expect(await cancelled).toBe("CANCEL_REQUESTED");
    } finally {
      claimer.release();
    }
    const { rows } = await pool.query(`SELECT status, cancel_requested_at IS NOT NULL AS flagged FROM jobs WHERE id = $1`, [job.id]);
    expect(rows[0]).toEqual({ status: "RUNNING", flagged: true });
  });

  it("never answers 'already ended' for a job that a concurrent claim is starting (40 races)", async () => {
    for (let i = 0; i < 40; i++) {
      const orgId = await createOrg(pool);
      const job = (await enqueueJob(pool, { orgId, kind: "PII_SCAN" })).job!;
      const [claimed, cancelled] = await Promise.all([
        claimNextJob(pool, { workerId: `racer${i}`, kinds: ["PII_SCAN"], orgLimit: 2 }),
        cancelJob(pool, { orgId, jobId: job.id }),
      ]);
      const { rows } = await pool.query(`SELECT status, cancel_requested_at IS NOT NULL AS flagged FROM jobs WHERE id = $1`, [job.id]);
      if (cancelled === "CANCELED") {
        expect(rows[0]).toEqual({ status: "CANCELED", flagged: true });
        expect(claimed?.id).not.toBe(job.id);
      } else {
        expect(cancelled).toBe("CANCEL_REQUESTED");
        expect(rows[0]).toEqual({ status: "RUNNING", flagged: true });
        expect(claimed?.id).toBe(job.id);
      }
      if (claimed) await finishJob(pool, claimed, { status: "CANCELED", error: { code: "CANCELED", message: "The run was cancelled.", hint: "" } });
    }
  });
});

describe("release (graceful shutdown)", () => {
  it("hands a job back without burning an attempt; a clone superseded by a queued run ends with finished_at and a reason", async () => {
    const orgId = await createOrg(pool);
    const plain = (await enqueueJob(pool, { orgId, kind: "PII_SCAN" })).job!;
    const held = (await claimNextJob(pool, { workerId: "leaving", kinds: ["PII_SCAN"], orgLimit: 2 }))!;
    expect(held.id).toBe(plain.id);
    expect(await releaseJob(pool, held)).toBe("QUEUED");
    const back = (await pool.query(`SELECT status, attempts, finished_at, error FROM jobs WHERE id = $1`, [plain.id])).rows[0];
    expect(back).toEqual({ status: "QUEUED", attempts: 0, finished_at: null, error: null });

    const workflowId = await createWorkflow(orgId);
    const first = (await enqueueJob(pool, { orgId, kind: "CLONE", workflowId })).job!;
    const clone = (await claimNextJob(pool, { workerId: "leaving", kinds: ["CLONE"], orgLimit: 2 }))!;
    expect(clone.id).toBe(first.id);
    expect((await enqueueJob(pool, { orgId, kind: "CLONE", workflowId })).coalesced).toBe(false);
    expect(await releaseJob(pool, clone)).toBe("CANCELED");
    const ended = (await pool.query(`SELECT status, finished_at IS NOT NULL AS finished, error FROM jobs WHERE id = $1`, [clone.id])).rows[0];
    expect(ended).toEqual({
      status: "CANCELED", finished: true,
      error: { code: "CANCELED", message: "The worker shut down during this run; the run already queued for this workflow replaces it.", hint: "" },
    });
  });
});

describe("retry (transient failure)", () => {
  const transient = { code: "TRANSIENT", message: "A database connection failed.", hint: "The job is retried automatically." };

  it("puts a job back after the delay, and logs the attempt and the delay", async () => {
    const orgId = await createOrg(pool);
    const job = (await enqueueJob(pool, { orgId, kind: "PII_SCAN" })).job!;
    const held = (await claimNextJob(pool, { workerId: "w", kinds: ["PII_SCAN"], orgLimit: 2 }))!;
    expect(held.id).toBe(job.id);
    expect(await retryJob(pool, held, 60_000, transient)).toBe("QUEUED");
    const row = (await pool.query(`SELECT status, finished_at, claim_token, error, run_after > now() + interval '50 seconds' AS later FROM jobs WHERE id = $1`, [job.id])).rows[0];
    expect(row).toEqual({ status: "QUEUED", finished_at: null, claim_token: null, error: transient, later: true });
    const { rows: logs } = await pool.query(`SELECT level, message FROM job_logs WHERE job_id = $1`, [job.id]);
    expect(logs).toEqual([{ level: "warn", message: "Attempt 1 failed (TRANSIENT): A database connection failed. Retrying in 60000 ms." }]);
  });

  it("ends a clone that a queued run supersedes as FAILED with finished_at and a reason, like release and reclaim", async () => {
    const orgId = await createOrg(pool);
    const workflowId = await createWorkflow(orgId);
    const first = (await enqueueJob(pool, { orgId, kind: "CLONE", workflowId })).job!;
    const clone = (await claimNextJob(pool, { workerId: "w", kinds: ["CLONE"], orgLimit: 2 }))!;
    expect(clone.id).toBe(first.id);
    const next = (await enqueueJob(pool, { orgId, kind: "CLONE", workflowId })).job!;
    expect(await retryJob(pool, clone, 0, transient)).toBe("FAILED");
    const ended = (await pool.query(`SELECT status, finished_at IS NOT NULL AS finished, claim_token, error FROM jobs WHERE id = $1`, [clone.id])).rows[0];
    expect(ended).toEqual({
      status: "FAILED", finished: true, claim_token: null,
      error: { ...transient, hint: "Not retried: the run already queued for this workflow replaces it." },
    });
    const { rows: logs } = await pool.query(`SELECT level, message FROM job_logs WHERE job_id = $1`, [clone.id]);
    expect(logs).toEqual([{ level: "error", message: "Attempt 1 failed (TRANSIENT): A database connection failed. Not retried: the run already queued for this workflow replaces it." }]);
    // The queued run is untouched and starts next.
    expect((await claimNextJob(pool, { workerId: "w", kinds: ["CLONE"], orgLimit: 2 }))?.id).toBe(next.id);
  });
});

describe("schedules", () => {
  it("enqueues one job per due tick even when several workers check at once", async () => {
    const orgId = await createOrg(pool);
    const created = new Date("2026-01-01T00:00:00Z");
    const workflowId = await createWorkflow(orgId, { cron: "0 * * * *", createdAt: created, lastTickAt: new Date("2026-01-01T09:00:00Z") });
    const now = new Date("2026-01-01T10:00:30Z");
    const results = await Promise.all(Array.from({ length: 5 }, () => enqueueDueSchedules(pool, now)));
    expect(results.flat().filter((r) => r.workflowId === workflowId)).toHaveLength(1);
    const { rows } = await pool.query(`SELECT schedule_tick, trigger FROM jobs WHERE workflow_id = $1`, [workflowId]);
    expect(rows).toEqual([{ schedule_tick: new Date("2026-01-01T10:00:00Z"), trigger: "SCHEDULE" }]);
    // Checking again within the same tick does nothing.
    expect((await enqueueDueSchedules(pool, new Date("2026-01-01T10:40:00Z"))).filter((r) => r.workflowId === workflowId)).toHaveLength(0);
  });

  it("runs ticks missed while no worker ran once, not once per missed tick", async () => {
    const orgId = await createOrg(pool);
    const workflowId = await createWorkflow(orgId, { cron: "*/5 * * * *", createdAt: new Date("2026-01-01T00:00:00Z"), lastTickAt: new Date("2026-01-01T00:00:00Z") });
    const runs = await enqueueDueSchedules(pool, new Date("2026-01-01T06:02:00Z"));
    expect(runs.filter((r) => r.workflowId === workflowId).map((r) => r.tick.toISOString())).toEqual(["2026-01-01T06:00:00.000Z"]);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM jobs WHERE workflow_id = $1`, [workflowId]);
    expect(rows[0].n).toBe(1);
    const { rows: wf } = await pool.query(`SELECT last_tick_at FROM workflows WHERE id = $1`, [workflowId]);
    expect(wf[0].last_tick_at).toEqual(new Date("2026-01-01T06:00:00Z"));
  });
});

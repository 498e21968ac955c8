import { randomBytes } from "node:crypto";
import os from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { EngineError } from "../pipeline/errors";
import { type AppDbCall, DEFAULT_CAP_MS, dbBackoffMs, onAppDb, retryingReads, retryTransient } from "./app-db-retry";
import type { Queryable } from "./db";
import { classifyError, describeForLog, isTransientDbError, JobFailure, retryDelayMs } from "./errors";
import type { JobContext, JobHandler } from "./handlers/types";
import type { Logger } from "./logger";
import { ProgressTracker } from "./progress";
import {
  type ClaimedJob, type FinalState, type JobKind, type LogLine, JOB_KINDS,
  ClaimOutcomeUnknown, claimNextJob, findClaim, finishJob, heartbeat, reclaimExpiredJobs, releaseJob, retryJob, writeProgress,
} from "./queue";
import { CANCEL_CHANNEL, WAKE_CHANNEL } from "./queue-sql";
import { enqueueDueSchedules } from "./scheduler";

// The worker runtime: claim loop, heartbeats, progress, fenced final writes, schedules and
// graceful shutdown. workers/main.ts wires it to the environment and signals.
// The loop never lets an error escape: a job always ends in a fenced final write (or, when the
// claim was lost, in no write at all), and queue errors are logged and retried.
// The app database may go away (restart, failover, killed connections): every call to it retries
// transient errors (app-db-retry.ts), a claim is lost only when a fenced write matches no row
// (never because a check failed), and the final write after a job's work is retried until it
// lands, so a finished clone is not run again.

export type WorkerConfig = {
  databaseUrl: string;
  workerId: string;
  /** Jobs run at once by this process. */
  concurrency: number;
  leaseMs: number;
  heartbeatMs: number;
  /** Poll fallback when no NOTIFY arrives. */
  pollMs: number;
  /** Running clones and PII scans per organisation across all workers (short jobs are not limited). */
  orgLimit: number;
  retryBaseMs: number;
  retryMaxMs: number;
  shutdownTimeoutMs: number;
  schedulerIntervalMs: number;
  /** How often this worker looks for expired leases (jittered, so workers do not all look at once). */
  reclaimIntervalMs: number;
  progressIntervalMs: number;
  kinds: readonly JobKind[];
  handlers: Partial<Record<JobKind, JobHandler>>;
  log: Logger;
};

const int = (v: string | undefined, fallback: number) => (v && /^\d+$/.test(v) ? Number(v) : fallback);

export function configFromEnv(env: NodeJS.ProcessEnv, handlers: Partial<Record<JobKind, JobHandler>>, log: Logger): WorkerConfig {
  const leaseMs = int(env.WORKER_LEASE_MS, 30_000);
  if (!env.DATABASE_URL) throw new Error("DATABASE_URL is not set. Start Doppel with `npm start`, or set DATABASE_URL to the app database.");
  const kinds = env.WORKER_KINDS ? env.WORKER_KINDS.split(",").map((k) => k.trim().toUpperCase()) : [...JOB_KINDS];
  for (const k of kinds) if (!(JOB_KINDS as readonly string[]).includes(k)) throw new Error(`WORKER_KINDS: unknown job kind ${k}.`);
  return {
    databaseUrl: env.DATABASE_URL,
    workerId: env.WORKER_ID || `${os.hostname()}:${process.pid}:${randomBytes(2).toString("hex")}`,
    concurrency: Math.max(1, int(env.WORKER_CONCURRENCY, 1)),
    leaseMs,
    heartbeatMs: int(env.WORKER_HEARTBEAT_MS, 5_000),
    pollMs: int(env.WORKER_POLL_MS, 2_000),
    orgLimit: Math.max(1, int(env.WORKER_ORG_CONCURRENCY, 2)),
    retryBaseMs: int(env.WORKER_RETRY_BASE_MS, 5_000),
    retryMaxMs: int(env.WORKER_RETRY_MAX_MS, 5 * 60_000),
    shutdownTimeoutMs: int(env.WORKER_SHUTDOWN_TIMEOUT_MS, 25_000),
    schedulerIntervalMs: int(env.WORKER_SCHEDULER_INTERVAL_MS, 5_000),
    reclaimIntervalMs: Math.max(100, int(env.WORKER_RECLAIM_INTERVAL_MS, Math.max(1_000, Math.round(leaseMs / 3)))),
    progressIntervalMs: int(env.WORKER_PROGRESS_INTERVAL_MS, 1_000),
    // Only kinds with a handler (handlers/index.ts) are claimed; others wait in the queue.
    kinds: (kinds as JobKind[]).filter((k) => handlers[k]),
    handlers,
    log,
  };
}

type AbortKind = "cancel" | "shutdown" | "lost";

type Running = {
  job: ClaimedJob;
  controller: AbortController;
  abortKind: AbortKind | null;
  tracker: ProgressTracker;
  done: Promise<void>;
  log: Logger;
  /** The periodic progress write in flight (awaited before the final one). */
  flushing: Promise<boolean>;
  /** Set once the final write is under way: late heartbeat or progress answers are ignored. */
  ending: boolean;
};

/** interval ± half of it, so that workers started together spread out. */
const jittered = (ms: number) => Math.round(ms * (0.5 + Math.random()));

export class Worker {
  readonly pool: pg.Pool;
  private listener: pg.Client | null = null;
  private listenFailures = 0;
  private listenTimer: NodeJS.Timeout | null = null;
  /** Aborted by stop(): cuts short a backoff wait of the claim loop. */
  private readonly stopped = new AbortController();
  /** Aborted when a shutdown can wait no longer: app-database calls stop retrying. */
  private readonly abandoned = new AbortController();
  private running = new Map<string, Running>();
  private stopping = false;
  private wakePending = false;
  private wakeWaiter: (() => void) | null = null;
  private loopDone: Promise<void> = Promise.resolve();
  private schedulerTimer: NodeJS.Timeout | null = null;
  private schedulerBusy = false;
  private nextReclaimAt = 0;
  private idle = false;

  constructor(private readonly cfg: WorkerConfig) {
    this.pool = new pg.Pool({ connectionString: cfg.databaseUrl, max: cfg.concurrency * 2 + 3, application_name: "doppel-worker" });
    this.pool.on("error", (err) => cfg.log("warn", "idle database connection dropped", { error: describeForLog(err) }));
  }

  get id() {
    return this.cfg.workerId;
  }

  async start(): Promise<void> {
    await this.pool.query("SELECT 1");
    await this.listen();
    this.cfg.log("info", "worker started", { concurrency: this.cfg.concurrency, kinds: this.cfg.kinds });
    this.loopDone = this.loop();
    this.schedulerTimer = setInterval(() => void this.runScheduler(), this.cfg.schedulerIntervalMs);
    void this.runScheduler();
  }

  /** Stops claiming; waits for running jobs up to the shutdown timeout, then aborts and releases them. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.stopped.abort();
    this.cfg.log("info", "shutting down", { running: this.running.size });
    if (this.schedulerTimer) clearInterval(this.schedulerTimer);
    if (this.listenTimer) clearTimeout(this.listenTimer);
    this.wake();
    await this.loopDone;
    const all = () => Promise.all([...this.running.values()].map((r) => r.done));
    if (this.running.size) {
      const timeout = sleep(this.cfg.shutdownTimeoutMs, "timeout" as const);
      if ((await Promise.race([all().then(() => "done" as const), timeout])) === "timeout") {
        for (const r of this.running.values()) this.abort(r, "shutdown");
        // The aborted jobs hand themselves back; when the app database does not take those writes
        // for as long again, give up: their leases expire and other workers reclaim them.
        const grace = sleep(this.cfg.shutdownTimeoutMs, "timeout" as const);
        if ((await Promise.race([all().then(() => "done" as const), grace])) === "timeout") {
          this.cfg.log("warn", "the app database does not take the last writes; leaving those jobs to be reclaimed", { running: this.running.size });
          this.abandoned.abort();
          await all();
        }
      }
    }
    await this.listener?.end().catch(() => {});
    await this.pool.end();
    this.cfg.log("info", "stopped");
  }

  private wake() {
    this.wakePending = true;
    this.wakeWaiter?.();
  }

  private waitForWake(ms: number): Promise<void> {
    if (this.wakePending) {
      this.wakePending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeWaiter = null;
        this.wakePending = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeWaiter = done;
    });
  }

  /** A call to the app database on its own connection, retried on transient errors (app-db-retry.ts). */
  private db<T>(call: Omit<AppDbCall, "log"> & { log?: Logger }, fn: (db: Queryable) => Promise<T>): Promise<T> {
    return onAppDb(this.pool, { log: this.cfg.log, signal: this.abandoned.signal, ...call }, fn);
  }

  /**
   * LISTEN for wake-ups and cancels on a dedicated connection. Never throws: when the connection
   * cannot be made or is lost, the worker polls meanwhile and reconnects with backoff and jitter.
   */
  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.cfg.databaseUrl, application_name: "doppel-worker-listen" });
    client.on("notification", (n) => {
      if (n.channel === WAKE_CHANNEL) this.wake();
      else if (n.channel === CANCEL_CHANNEL && n.payload) {
        const r = this.running.get(n.payload);
        if (r) void this.beat(r); // the heartbeat reads cancel_requested_at: trust the row, not the payload
      }
    });
    let lost = false;
    const onLost = (err?: unknown) => {
      if (lost) return;
      lost = true;
      if (this.listener === client) this.listener = null;
      client.end().catch(() => {});
      if (this.stopping) return;
      this.listenFailures++;
      const retryInMs = dbBackoffMs(this.listenFailures, 30_000);
      this.cfg.log("warn", "LISTEN connection lost; polling until it is back", { retryInMs, ...(err ? { error: describeForLog(err) } : {}) });
      this.listenTimer = setTimeout(() => void this.listen(), retryInMs);
    };
    client.on("error", onLost);
    client.on("end", () => onLost());
    try {
      await client.connect();
      await client.query(`LISTEN ${WAKE_CHANNEL}`);
      await client.query(`LISTEN ${CANCEL_CHANNEL}`);
    } catch (err) {
      onLost(err);
      return;
    }
    if (lost) return;
    if (this.stopping) {
      await client.end().catch(() => {});
      return;
    }
    this.listener = client;
    if (this.listenFailures > 0) {
      this.listenFailures = 0;
      this.cfg.log("info", "LISTEN connection is back");
      this.wake(); // jobs enqueued meanwhile woke nobody
    }
  }

  private async loop(): Promise<void> {
    let failures = 0;
    /** The token of a claim whose COMMIT failed: if it committed after all, the job is ours. */
    let unknownClaim: string | null = null;
    while (!this.stopping) {
      try {
        if (Date.now() >= this.nextReclaimAt) {
          this.nextReclaimAt = Date.now() + jittered(this.cfg.reclaimIntervalMs);
          const reclaimed = await reclaimExpiredJobs(this.pool, this.cfg);
          for (const r of reclaimed) this.cfg.log("warn", "reclaimed a job whose worker stopped heartbeating", { jobId: r.id, orgId: r.orgId, status: r.status, attempts: r.attempts });
        }
        let job: ClaimedJob | null = null;
        if (unknownClaim) {
          job = await findClaim(this.pool, unknownClaim);
          unknownClaim = null;
          if (job) this.cfg.log("warn", "a claim committed although its answer was lost with the connection; running the job", { jobId: job.id, orgId: job.orgId });
        }
        if (job || (this.running.size < this.cfg.concurrency && this.cfg.kinds.length)) {
          job ??= await claimNextJob(this.pool, { workerId: this.cfg.workerId, kinds: this.cfg.kinds, orgLimit: this.cfg.orgLimit });
          failures = 0;
          if (job && !this.stopping) {
            this.idle = false;
            this.startJob(job);
            continue;
          }
          if (job) {
            const claimed = job; // claimed while shutting down: hand it back at once
            await this.db({ what: "release" }, (db) => releaseJob(db, claimed));
            break;
          }
        }
        failures = 0;
        if (!this.idle && this.running.size === 0) {
          this.idle = true;
          this.cfg.log("info", "idle");
        }
      } catch (err) {
        // A claim that failed rolled back (nothing claimed), except perhaps one that failed at
        // COMMIT: the next turn looks it up by its token.
        if (err instanceof ClaimOutcomeUnknown) unknownClaim = err.claimToken;
        failures++;
        const retryInMs = dbBackoffMs(failures, Math.max(this.cfg.pollMs, DEFAULT_CAP_MS));
        this.cfg.log(isTransientDbError(err) ? "warn" : "error", "queue error; retrying", { error: describeForLog(err), failures, retryInMs });
        await sleep(retryInMs, undefined, { signal: this.stopped.signal }).catch(() => {});
        continue;
      }
      await this.waitForWake(Math.max(0, Math.min(this.cfg.pollMs, this.nextReclaimAt - Date.now())));
    }
  }

  private startJob(job: ClaimedJob) {
    const log: Logger = (level, msg, fields) => this.cfg.log(level, msg, { jobId: job.id, orgId: job.orgId, ...fields });
    const r: Running = {
      job, controller: new AbortController(), abortKind: null, tracker: new ProgressTracker(), done: Promise.resolve(), log,
      flushing: Promise.resolve(true), ending: false,
    };
    this.running.set(job.id, r);
    r.done = this.runJob(r)
      .catch((err) => log("error", "job bookkeeping failed", { error: describeForLog(err) }))
      .finally(() => {
        this.running.delete(job.id);
        this.wake();
      });
  }

  private abort(r: Running, kind: AbortKind) {
    if (r.abortKind) return;
    r.abortKind = kind;
    r.controller.abort(new Error(kind === "cancel" ? "The run was cancelled." : kind === "shutdown" ? "The worker is shutting down." : "The worker lost its claim on the job."));
  }

  private lost(r: Running, where: string) {
    if (r.abortKind === "lost" || (r.ending && where !== "final write rejected")) return;
    r.log("warn", `claim lost (${where}): another worker owns the job or it ended; stopping without writing`, { attempt: r.job.attempts });
    r.abortKind = null;
    this.abort(r, "lost");
  }

  private async beat(r: Running): Promise<void> {
    if (r.abortKind === "lost" || r.ending) return;
    try {
      // Retried until the next beat is due; the lease covers a few missed beats.
      const hb = await this.db({ what: "heartbeat", log: r.log, deadlineMs: this.cfg.heartbeatMs }, (db) => heartbeat(db, r.job));
      if (!hb) this.lost(r, "heartbeat");
      else if (hb.cancelRequested) this.abort(r, "cancel");
    } catch (err) {
      r.log("warn", "heartbeat failed; will retry", { error: describeForLog(err) });
    }
  }

  /**
   * Writes pending progress and logs (fenced). False when the claim is lost. A periodic write
   * that fails keeps its lines for the next one; the last one (final) is retried until it lands.
   */
  private async flush(r: Running, final = false): Promise<boolean> {
    const pending = r.tracker.drain();
    if (!pending || r.abortKind === "lost") return r.abortKind !== "lost";
    try {
      const call = { what: "progress write", log: r.log, deadlineMs: final ? undefined : this.cfg.progressIntervalMs };
      const ok = await this.db(call, (db) => writeProgress(db, r.job, pending.progress, pending.logs));
      if (!ok) this.lost(r, "progress");
      return ok;
    } catch (err) {
      if (!final) r.tracker.putBack(pending);
      r.log("warn", final ? "last progress write failed; its log lines are lost" : "progress write failed; kept for the next one", { error: describeForLog(err) });
      return true;
    }
  }

  private async runJob(r: Running): Promise<void> {
    const { job, log } = r;
    log("info", "claimed", { kind: job.kind, attempt: job.attempts, maxAttempts: job.maxAttempts });
    r.tracker.log({ level: "info", message: `Attempt ${job.attempts} of ${job.maxAttempts} started on worker ${this.cfg.workerId}.` });
    const hbTimer = setInterval(() => void this.beat(r), this.cfg.heartbeatMs);
    const progressTimer = setInterval(() => {
      r.flushing = r.flushing.then(() => this.flush(r));
    }, this.cfg.progressIntervalMs);
    const ctx: JobContext = {
      job,
      signal: r.controller.signal,
      pool: retryingReads(this.pool, { what: "job read", log, deadlineMs: this.cfg.leaseMs / 2, signal: r.controller.signal }),
      workerId: this.cfg.workerId,
      onProgress: (event) => r.tracker.apply(event),
      log: (line: LogLine) => r.tracker.log(line),
      assertClaim: async () => {
        let hb: Awaited<ReturnType<typeof heartbeat>>;
        try {
          // Within half the lease: a swap transaction waits on the target meanwhile.
          hb = await this.db({ what: "claim check", log, deadlineMs: this.cfg.leaseMs / 2, point: "claim-check" }, (db) => heartbeat(db, job));
        } catch (err) {
          if (!isTransientDbError(err)) throw err;
          // Not known whether the claim is held, so nothing is published; the attempt is retried
          // (an EngineError, so the swap passes it on as it is rather than as a lost claim).
          throw new EngineError("INTERNAL", "The app database did not answer the check that this worker still holds the job, so the copy was not published; the previous target is unchanged.", "The job is retried automatically.", { cause: err });
        }
        if (!hb) {
          this.lost(r, "before commit");
          throw new JobFailure("CLAIM_LOST", "This worker no longer owns the job.");
        }
      },
    };
    let state: FinalState | { status: "RETRY"; delayMs: number; error: FinalState & { status: "FAILED" } } | { status: "RELEASE" };
    try {
      const handler = this.cfg.handlers[job.kind];
      if (!handler) throw new JobFailure("KIND_UNAVAILABLE", `This worker cannot run ${job.kind} jobs.`, "Upgrade the workers.");
      const report = await handler(ctx);
      state = { status: "SUCCEEDED", report: report ?? null };
    } catch (err) {
      if (r.abortKind === "cancel") state = { status: "CANCELED", error: { code: "CANCELED", message: "The run was cancelled.", hint: "" } };
      else if (r.abortKind === "shutdown") state = { status: "RELEASE" };
      else {
        const c = classifyError(err);
        if (c.logId || r.abortKind !== "lost") log(c.transient ? "warn" : "error", "attempt failed", { code: c.error.code, transient: c.transient, ...(c.logId ? { errorId: c.logId, error: describeForLog(err) } : {}) });
        const failed = { status: "FAILED" as const, error: c.error, report: err instanceof JobFailure ? err.report : undefined };
        if (c.transient && job.attempts < job.maxAttempts) {
          state = { status: "RETRY", delayMs: retryDelayMs(job.attempts, this.cfg.retryBaseMs, this.cfg.retryMaxMs), error: failed };
        } else state = failed;
      }
    } finally {
      clearInterval(hbTimer);
      clearInterval(progressTimer);
    }
    if (r.abortKind === "lost") return; // fenced: the new owner (or the canceller) has the row
    await r.flushing;
    r.ending = true;
    // RETRY: the retry statement writes the job log line itself (retried or superseded).
    if (state.status === "FAILED") {
      r.tracker.log({ level: "error", message: `${state.error.code}: ${state.error.message}${state.error.hint ? ` ${state.error.hint}` : ""}` });
    } else if (state.status === "CANCELED") {
      r.tracker.log({ level: "warn", message: "Cancelled." });
    } else if (state.status === "RELEASE") {
      r.tracker.log({ level: "warn", message: "The worker shut down; the job goes back to the queue for another worker." });
    }
    if (!(await this.flush(r, true))) return;
    // Retried until it lands (with a backoff well inside the lease, so that this worker, not a
    // reclaim, writes first when the database is back): the work is done and must not run again.
    const final = { what: "final write", log, capMs: Math.min(DEFAULT_CAP_MS, this.cfg.leaseMs / 4), point: "final-write" as const };
    const ended = await this.db(final, async (db): Promise<string | null> => {
      if (state.status === "RETRY") return retryJob(db, job, state.delayMs, state.error.error);
      if (state.status === "RELEASE") return releaseJob(db, job);
      return (await finishJob(db, job, state)) ? state.status : null;
    });
    if (ended === null) this.lost(r, "final write rejected");
    else if (ended === "QUEUED") log("info", state.status === "RETRY" ? "attempt failed; queued for a retry" : "job handed back to the queue", { attempt: job.attempts });
    else log("info", "job ended", { status: ended, attempt: job.attempts, ...(ended !== state.status ? { reason: "superseded by the run already queued for its workflow" } : {}) });
  }

  private async runScheduler(): Promise<void> {
    if (this.schedulerBusy || this.stopping) return;
    this.schedulerBusy = true;
    try {
      const call = { what: "scheduler", log: this.cfg.log, deadlineMs: this.cfg.schedulerIntervalMs };
      const enqueued = await retryTransient(call, () => enqueueDueSchedules(this.pool, new Date(), this.cfg.log));
      for (const e of enqueued) {
        if (e.jobId) this.cfg.log("info", "scheduled run enqueued", { jobId: e.jobId, workflowId: e.workflowId, tick: e.tick.toISOString() });
        else this.cfg.log("info", "schedule tick coalesced into the run already queued", { workflowId: e.workflowId, tick: e.tick.toISOString() });
      }
    } catch (err) {
      this.cfg.log("error", "scheduler error", { error: describeForLog(err) });
    } finally {
      this.schedulerBusy = false;
    }
  }
}

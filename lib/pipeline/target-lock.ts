import type pg from "pg";
import { qi } from "./connect";
import { EngineError } from "./errors";

// The target-side guards of a run, before anything is written: one run at a time per target
// database (an advisory lock, waited for with a deadline), never the source database itself,
// and the leftovers of runs that died mid-way removed under that lock.

const TARGET_LOCK = [7270737, 1] as const;
export const DEFAULT_TARGET_LOCK_TIMEOUT_MS = 10 * 60_000;

export async function backendPid(c: pg.Client): Promise<number> {
  return (await c.query("SELECT pg_backend_pid() AS pid")).rows[0].pid;
}

/**
 * Two runs into one target database take turns (polling, so that a cancel is noticed). The wait
 * has a deadline: a frozen worker that still holds the lock must not block the next run forever.
 * The error names the holder's application_name (the job it runs for, see CloneRunOptions).
 */
export async function acquireLock(c: pg.Client, signal: AbortSignal, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await c.query("SELECT pg_try_advisory_lock($1, $2) AS ok", [...TARGET_LOCK]);
    if (rows[0].ok) return;
    if (signal.aborted) throw new EngineError("CANCELED", "The run was cancelled while waiting for another run into the same target.");
    if (Date.now() >= deadline) {
      const holder = (await c.query(`SELECT a.pid, a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1 AND l.objid = $2 AND l.objsubid = 2
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`, [...TARGET_LOCK])).rows[0] as { pid: number; application_name: string } | undefined;
      const who = holder ? ` (session ${holder.pid}${holder.application_name ? `, "${holder.application_name}"` : ""})` : "";
      throw new EngineError("TARGET_BUSY",
        `Another run into this target database${who} has been working for longer than ${Math.round(timeoutMs / 1000)} s; this run wrote nothing.`,
        "The run is retried later. If no other run is active, end the session named above on the target (pg_terminate_backend).");
    }
    await new Promise((r) => setTimeout(r, Math.min(500, Math.max(10, deadline - Date.now()))));
  }
}

/**
 * The source and the target must not be the same database (a second connection record for it,
 * localhost vs 127.0.0.1, a hand-written workflow.json): the swap would rename the production
 * schemas away and drop them. Same cluster (system_identifier), same database name, and either
 * the same server (a probe advisory lock taken on the target shows in the source's pg_locks) or
 * a source that is a standby of it. A copy restored from a base backup elsewhere (same
 * system_identifier, other server) is allowed.
 */
export async function refuseSameDatabase(source: pg.Client, target: pg.Client) {
  const identity = `SELECT current_database() AS db, pg_is_in_recovery() AS standby,
    (SELECT system_identifier::text FROM pg_control_system()) AS system_id`;
  let src: { db: string; standby: boolean; system_id: string | null };
  let dst: typeof src;
  // The source session is inside the snapshot transaction: a refused pg_control_system() (some
  // managed services) must not abort it, hence the savepoint. Without it, nothing to compare.
  await source.query("SAVEPOINT doppel_identity");
  try {
    src = (await source.query(identity)).rows[0];
    await source.query("RELEASE SAVEPOINT doppel_identity");
  } catch {
    await source.query("ROLLBACK TO SAVEPOINT doppel_identity");
    return;
  }
  try {
    dst = (await target.query(identity)).rows[0];
  } catch {
    return;
  }
  if (!src.system_id || src.system_id !== dst.system_id || src.db !== dst.db) return;
  let same = src.standby || dst.standby;
  if (!same) {
    const probe = Math.floor(Math.random() * 2 ** 31);
    await target.query("SELECT pg_advisory_lock($1, $2)", [TARGET_LOCK[0], probe]);
    try {
      same = (await source.query(`SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = $1 AND objid = $2 AND objsubid = 2
        AND database = (SELECT oid FROM pg_database WHERE datname = current_database())) AS same`, [TARGET_LOCK[0], probe])).rows[0].same;
    } finally {
      await target.query("SELECT pg_advisory_unlock($1, $2)", [TARGET_LOCK[0], probe]);
    }
  }
  if (same) {
    throw new EngineError("INVALID_DEFINITION",
      `The target is the source database itself (${src.db}): cloning into it would replace the source's tables. Nothing was written.`,
      "Choose a different target database (a twin must never be written over its source).");
  }
}

/** Staging or old schemas of runs that died mid-way (we hold the target lock, so none is active). */
export async function dropLeftovers(c: pg.Client) {
  const { rows } = await c.query(`SELECT nspname FROM pg_namespace WHERE nspname ~ '^doppel_(stage|old)_[0-9a-f]{8}_[0-9]+$'`);
  for (const r of rows) await c.query(`DROP SCHEMA IF EXISTS ${qi(r.nspname)} CASCADE`);
}

export async function waitGone(c: pg.Client, pids: number[]) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const { rows } = await c.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = ANY($1::int[])", [pids]);
    if (rows[0].n === 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

// Every statement of the job queue, in one place. The queue is a plain table (`jobs`, a Prisma
// model the web app reads for history) claimed with `FOR UPDATE SKIP LOCKED`; we chose this over
// graphile-worker/pg-boss because the job history must be our own model anyway (those libraries
// keep a second copy of the state) and because fencing needs our claim token in every final write.
//
// Invariants:
// - A worker owns a job while `status = 'RUNNING' AND claim_token = <its token>`. Every write a
//   worker makes afterwards (heartbeat, progress, logs, final state) carries both conditions; zero
//   rows updated means the claim was lost (lease expired and the job was reclaimed, or cancelled):
//   the worker stops and writes nothing else.
// - Claims of one organisation are serialised by a transaction-scoped advisory lock, so the
//   per-organisation running limit, the organisation's queue order and "one running clone per
//   workflow / target database" are checked against committed state (READ COMMITTED takes a new
//   snapshot per statement, and the previous holder committed before releasing the lock).
//   Claims for different organisations never wait for each other. (Two organisations pointing
//   at the same physical target database are serialised by the engine's own target lock.)
// - Partial unique indexes (init migration) allow one QUEUED and one RUNNING clone per workflow;
//   enqueue relies on them to coalesce "Run now" into the queued run (ON CONFLICT DO NOTHING).

export const WAKE_CHANNEL = "doppel_jobs";
export const CANCEL_CHANNEL = "doppel_job_cancel";

/** advisory lock namespace (first key of pg_advisory_xact_lock(int, int)) */
const ORG_LOCK = 727001;

/** A clone may start only when no clone of its workflow, or into its target database, is running. */
const CLONE_FREE = (t: string) => `(${t}.kind <> 'CLONE' OR NOT EXISTS (
      SELECT 1 FROM jobs r WHERE r.status = 'RUNNING' AND r.kind = 'CLONE'
         AND (r.workflow_id = ${t}.workflow_id OR r.target_key = ${t}.target_key)))`;

/**
 * A clone whose workflow already has a queued run: that run does the same work (and the partial
 * unique index allows only one queued clone per workflow), so a clone that would go back to the
 * queue (retry, release, reclaim) ends instead, with finished_at and an error saying why.
 */
const SUPERSEDED = (t: string) => `(${t}.kind = 'CLONE' AND EXISTS (
      SELECT 1 FROM jobs q WHERE q.workflow_id = ${t}.workflow_id AND q.kind = 'CLONE' AND q.status = 'QUEUED'))`;

/**
 * The per-organisation running limit covers the long jobs only (clones and PII scans): a
 * connection test or an introspection takes seconds and someone is waiting for it on a page, so
 * it must not queue behind two clones (it still needs a free worker slot).
 */
const LIMITED_KINDS = `('CLONE', 'PII_SCAN')`;
const UNDER_LIMIT = (t: string, org: string, limit: string) => `(${t}.kind NOT IN ${LIMITED_KINDS} OR (
      SELECT count(*) FROM jobs r WHERE r.org_id = ${org} AND r.status = 'RUNNING' AND r.kind IN ${LIMITED_KINDS}) < ${limit})`;

/** The job is still held by the claim token (for writes outside the jobs table). */
const HOLDS_CLAIM = (id: string, token: string, lock = "") =>
  `EXISTS (SELECT 1 FROM jobs j WHERE j.id = ${id}::uuid AND j.claim_token = ${token}::uuid AND j.status = 'RUNNING'${lock})`;

const JOB_COLUMNS = `id, org_id, kind, status, trigger, workflow_id, workflow_version, connection_id,
  triggered_by_user_id, triggered_by_key_id, input, attempts, max_attempts, run_after, claim_token,
  claimed_by, heartbeat_at, cancel_requested_at, schedule_tick, target_key, progress, report, error,
  created_at, started_at, finished_at`;

export const SQL = {
  JOB_COLUMNS,

  // $1 org, $2 kind, $3 trigger, $4 workflow, $5 version, $6 connection, $7 user, $8 key,
  // $9 input, $10 max attempts, $11 schedule tick, $12 target key.
  // DO NOTHING covers the partial unique indexes (a clone already queued: coalesce) and
  // (workflow_id, schedule_tick) (this tick was already enqueued by another worker).
  insertJob: `
    INSERT INTO jobs (id, org_id, kind, trigger, workflow_id, workflow_version, connection_id,
                      triggered_by_user_id, triggered_by_key_id, input, max_attempts, schedule_tick, target_key)
    VALUES (gen_random_uuid(), $1::uuid, $2::"JobKind", $3::"JobTrigger", $4::uuid, $5::int, $6::uuid,
            $7::uuid, $8::uuid, $9::jsonb, $10::int, $11::timestamptz, $12::text)
    ON CONFLICT DO NOTHING
    RETURNING ${JOB_COLUMNS}`,

  // What enqueueing a workflow's job needs: its current version and that version's config (a
  // draft is refused). Tenancy in the query: another organisation's workflow looks missing.
  // $1 workflow, $2 org.
  workflowToEnqueue: `
    SELECT w.current_version, v.config, v.draft FROM workflows w
      LEFT JOIN workflow_versions v ON v.workflow_id = w.id AND v.version = w.current_version
     WHERE w.id = $1::uuid AND w.org_id = $2::uuid`,

  queuedCloneOf: `SELECT ${JOB_COLUMNS} FROM jobs WHERE workflow_id = $1::uuid AND kind = 'CLONE' AND status = 'QUEUED'`,

  wake: `SELECT pg_notify('${WAKE_CHANNEL}', '')`,

  // Claim, step 1: the organisation of the first eligible job, in queue order. No row locks
  // here: a worker waiting for the organisation lock must not hold rows other claimers need.
  // $1 kinds, $2 organisations to skip this round (nothing claimable there), $3 running limit
  // (of LIMITED_KINDS).
  pickOrg: `
    SELECT j.org_id FROM jobs j
     WHERE j.status = 'QUEUED' AND j.run_after <= now()
       AND j.kind::text = ANY($1::text[])
       AND NOT (j.org_id = ANY($2::uuid[]))
       AND ${UNDER_LIMIT("j", "j.org_id", "$3")}
       AND ${CLONE_FREE("j")}
     ORDER BY j.run_after, j.created_at, j.id
     LIMIT 1`,

  // Claim, step 2: one claimer per organisation at a time (released at COMMIT).
  lockOrg: `SELECT pg_advisory_xact_lock(${ORG_LOCK}, hashtext($1::text))`,

  // Claim, step 3: under the lock, on a fresh snapshot, take the organisation's first eligible
  // job (a limited kind only while the organisation is under its limit). SKIP LOCKED passes over a row a cancel is writing.
  // A fresh claim token per attempt fences every earlier holder. The claimer makes the token
  // (a random UUID) before it claims, so that when the connection fails at COMMIT it can still
  // find out whether the claim committed (claimedBy).
  // $1 org, $2 worker, $3 limit, $4 kinds, $5 claim token.
  claim: `
    UPDATE jobs j
       SET status = 'RUNNING', attempts = j.attempts + 1, claim_token = $5::uuid,
           claimed_by = $2, heartbeat_at = now(), started_at = now(), finished_at = NULL
     WHERE j.id = (
             SELECT c.id FROM jobs c
              WHERE c.org_id = $1::uuid AND c.status = 'QUEUED' AND c.run_after <= now()
                AND c.kind::text = ANY($4::text[])
                AND ${UNDER_LIMIT("c", "$1::uuid", "$3")}
                AND ${CLONE_FREE("c")}
              ORDER BY c.run_after, c.created_at, c.id
              LIMIT 1
                FOR UPDATE SKIP LOCKED)
    RETURNING ${JOB_COLUMNS}`,

  // The job a claim took, if that claim committed. $1 claim token.
  claimedBy: `SELECT ${JOB_COLUMNS} FROM jobs WHERE claim_token = $1::uuid AND status = 'RUNNING'`,

  // A worker that stopped heartbeating (crashed, frozen, partitioned) loses its jobs after the
  // lease. They go back to the queue (attempts is bumped by the next claim) with a backoff, or
  // fail when out of attempts, or end as cancelled when a cancel was pending, or end when
  // SUPERSEDED.
  // $1 lease ms, $2 retry base ms, $3 retry max ms.
  reclaimExpired: `
    WITH expired AS (
      SELECT id, claimed_by FROM jobs
       WHERE status = 'RUNNING' AND heartbeat_at < now() - $1::int * interval '1 millisecond'
         FOR UPDATE SKIP LOCKED
    ), decided AS (
      SELECT j.id, e.claimed_by,
             CASE WHEN j.cancel_requested_at IS NOT NULL THEN 'CANCELED'
                  WHEN j.attempts >= j.max_attempts THEN 'FAILED'
                  WHEN ${SUPERSEDED("j")} THEN 'SUPERSEDED'
                  ELSE 'QUEUED' END AS outcome
        FROM jobs j JOIN expired e ON e.id = j.id
    ), upd AS (
      UPDATE jobs j
         SET status = (CASE d.outcome WHEN 'SUPERSEDED' THEN 'FAILED' ELSE d.outcome END)::"JobStatus",
             claim_token = NULL, claimed_by = NULL, heartbeat_at = NULL,
             run_after = CASE WHEN d.outcome = 'QUEUED'
                 THEN now() + least($3::int, $2::int * 2 ^ greatest(j.attempts - 1, 0) * (1 - random() * 0.25)) * interval '1 millisecond'
                 ELSE j.run_after END,
             finished_at = CASE WHEN d.outcome = 'QUEUED' THEN NULL ELSE now() END,
             error = CASE d.outcome
                 WHEN 'CANCELED' THEN jsonb_build_object('code', 'CANCELED', 'message', 'The run was cancelled.', 'hint', '')
                 WHEN 'SUPERSEDED' THEN jsonb_build_object('code', 'WORKER_LOST', 'message', 'The worker running this job stopped; a newer queued run of the workflow replaces it.', 'hint', '')
                 ELSE jsonb_build_object('code', 'WORKER_LOST', 'message', format('The worker running attempt %s stopped responding.', j.attempts),
                      'hint', CASE WHEN d.outcome = 'FAILED' THEN 'No attempts are left. Check the worker logs, then run the workflow again.' ELSE 'The job is retried from the start.' END) END
        FROM decided d
       WHERE j.id = d.id
      RETURNING j.id, j.org_id, j.status, j.attempts, d.claimed_by
    ), logged AS (
      INSERT INTO job_logs (job_id, level, message)
      SELECT id, 'warn', format('Worker %s stopped heartbeating during attempt %s; the job is now %s.', claimed_by, attempts, lower(status::text))
        FROM upd
    )
    SELECT id, org_id, status::text AS status, attempts FROM upd`,

  // Fenced writes: $1 id, $2 claim token, always.
  heartbeat: `
    UPDATE jobs SET heartbeat_at = now()
     WHERE id = $1::uuid AND claim_token = $2::uuid AND status = 'RUNNING'
    RETURNING cancel_requested_at`,

  // $3 progress (jsonb or null: keep), $4 log lines [{level, message}].
  progress: `
    WITH owned AS (
      UPDATE jobs SET progress = COALESCE($3::jsonb, progress)
       WHERE id = $1::uuid AND claim_token = $2::uuid AND status = 'RUNNING'
      RETURNING id
    ), logged AS (
      INSERT INTO job_logs (job_id, level, message)
      SELECT owned.id, l.line->>'level', l.line->>'message'
        FROM owned, jsonb_array_elements($4::jsonb) WITH ORDINALITY AS l(line, n)
       ORDER BY l.n
    )
    SELECT id FROM owned`,

  // $3 status, $4 report, $5 error. The claim token stays on the ended job, so a repeat of this
  // write (the first one committed but its answer was lost with the connection) matches the row
  // it wrote and changes nothing: the worker learns that its write landed, not that it lost the job.
  finish: `
    UPDATE jobs SET status = $3::"JobStatus", report = $4::jsonb, error = $5::jsonb,
                    finished_at = CASE WHEN status = 'RUNNING' THEN now() ELSE finished_at END, heartbeat_at = NULL
     WHERE id = $1::uuid AND claim_token = $2::uuid
       AND (status = 'RUNNING' OR (status = $3::"JobStatus" AND report IS NOT DISTINCT FROM $4::jsonb AND error IS NOT DISTINCT FROM $5::jsonb))
    RETURNING id`,

  // A transient failure: back to the queue after $3 ms, or end FAILED when SUPERSEDED (the
  // attempt's error, with a hint naming the replacement). The job log says which, in the same
  // statement (after it the claim is gone, so the worker could not write the line). $4 error.
  retry: `
    WITH decided AS (
      SELECT j.id, ${SUPERSEDED("j")} AS superseded FROM jobs j WHERE j.id = $1::uuid
    ), upd AS (
      UPDATE jobs j
         SET status = CASE WHEN d.superseded THEN 'FAILED'::"JobStatus" ELSE 'QUEUED'::"JobStatus" END,
             run_after = CASE WHEN d.superseded THEN j.run_after ELSE now() + $3::int * interval '1 millisecond' END,
             finished_at = CASE WHEN d.superseded THEN now() END,
             error = CASE WHEN d.superseded
                       THEN $4::jsonb || jsonb_build_object('hint', 'Not retried: the run already queued for this workflow replaces it.')
                       ELSE $4::jsonb END,
             claim_token = NULL, claimed_by = NULL, heartbeat_at = NULL
        FROM decided d
       WHERE j.id = d.id AND j.claim_token = $2::uuid AND j.status = 'RUNNING'
      RETURNING j.id, j.attempts, d.superseded
    ), logged AS (
      INSERT INTO job_logs (job_id, level, message)
      SELECT id, CASE WHEN superseded THEN 'error' ELSE 'warn' END,
             format('Attempt %s failed (%s): %s ', attempts, $4::jsonb->>'code', $4::jsonb->>'message')
               || CASE WHEN superseded THEN 'Not retried: the run already queued for this workflow replaces it.'
                       ELSE format('Retrying in %s ms.', $3::int) END
        FROM upd
    )
    SELECT CASE WHEN superseded THEN 'FAILED' ELSE 'QUEUED' END AS status FROM upd`,

  // Graceful shutdown: hand the job back without burning an attempt, or end CANCELED when
  // SUPERSEDED (no attempt failed).
  release: `
    WITH decided AS (
      SELECT j.id, ${SUPERSEDED("j")} AS superseded FROM jobs j WHERE j.id = $1::uuid
    )
    UPDATE jobs j
       SET status = CASE WHEN d.superseded THEN 'CANCELED'::"JobStatus" ELSE 'QUEUED'::"JobStatus" END,
           finished_at = CASE WHEN d.superseded THEN now() END,
           error = CASE WHEN d.superseded THEN jsonb_build_object('code', 'CANCELED',
                     'message', 'The worker shut down during this run; the run already queued for this workflow replaces it.', 'hint', '')
                   ELSE j.error END,
           attempts = greatest(j.attempts - 1, 0), run_after = now(),
           claim_token = NULL, claimed_by = NULL, heartbeat_at = NULL
      FROM decided d
     WHERE j.id = d.id AND j.claim_token = $2::uuid AND j.status = 'RUNNING'
    RETURNING j.status::text AS status`,

  // A queued job is cancelled at once; a running one is flagged and its worker aborts it.
  // One UPDATE for both, so a claim committing meanwhile cannot make it miss the job: the UPDATE
  // waits for the claimer's row lock, then re-evaluates WHERE and SET on the claimed row version
  // (READ COMMITTED), which is RUNNING and gets flagged. (Two CTEs, one per status, shared one
  // snapshot: the QUEUED one found the row RUNNING after the wait, the RUNNING one never saw it.)
  // Returns the new status: CANCELED (was queued) or RUNNING (flagged). $1 id, $2 org.
  cancel: `
    UPDATE jobs
       SET status = CASE WHEN status = 'QUEUED' THEN 'CANCELED'::"JobStatus" ELSE status END,
           finished_at = CASE WHEN status = 'QUEUED' THEN now() ELSE finished_at END,
           error = CASE WHEN status = 'QUEUED'
                     THEN jsonb_build_object('code', 'CANCELED', 'message', 'The run was cancelled before it started.', 'hint', '')
                     ELSE error END,
           cancel_requested_at = COALESCE(cancel_requested_at, now())
     WHERE id = $1::uuid AND org_id = $2::uuid AND status IN ('QUEUED', 'RUNNING')
    RETURNING status::text AS status`,

  // $1 id, $2 org.
  getJob: `SELECT ${JOB_COLUMNS} FROM jobs WHERE id = $1::uuid AND org_id = $2::uuid`,

  notifyCancel: `SELECT pg_notify('${CANCEL_CHANNEL}', $1::text)`,

  // A connection tested from its form (no connection row yet) carries its secret in the job's
  // input, encrypted like Connection.secretEnc. The worker that claimed the job takes it out as it
  // reads it, so no finished job holds a secret; fenced like every write. $1 id, $2 claim token.
  takeInputSecret: `
    UPDATE jobs j SET input = j.input - 'secretEnc'
      FROM (SELECT input->>'secretEnc' AS secret_enc FROM jobs WHERE id = $1::uuid) old
     WHERE j.id = $1::uuid AND j.status = 'RUNNING' AND j.claim_token = $2::uuid
    RETURNING old.secret_enc`,

  // Schedules (scheduler.ts): the scheduled workflows, locked for this transaction (SKIP LOCKED:
  // another worker is enqueueing their ticks right now), and the tick recorded as done in the
  // transaction that enqueued it. $1 workflow, $2 tick.
  scheduledWorkflows: `
    SELECT id, org_id, cron, last_tick_at, created_at FROM workflows
     WHERE schedule_enabled AND cron IS NOT NULL
       FOR UPDATE SKIP LOCKED`,

  markTicked: `UPDATE workflows SET last_tick_at = $2 WHERE id = $1::uuid`,

  // Handlers' own writes, fenced like the worker's: they happen only while the claim is held.
  // NOOP's one row per run ($1 job, $2 worker, $3 claim token); FOR SHARE keeps the job row from
  // being reclaimed until the insert commits, and the primary key makes a job that ran twice fail.
  noopRun: `
    INSERT INTO noop_runs (job_id, worker)
    SELECT $1::uuid, $2 WHERE ${HOLDS_CLAIM("$1", "$3", " FOR SHARE")}`,

  // Delta updates: the state the last successful clone of a workflow into a target left
  // (delta-plan.ts). $1 workflow, $2 target key.
  deltaStates: `
    SELECT schema_name AS schema, table_name AS table, fingerprint, watermark::text AS watermark, snapshot_xmin AS "snapshotXmin"
      FROM delta_states WHERE workflow_id = $1::uuid AND target_key = $2`,

  // CLONE's state for the next delta run, replacing the previous one, written after the target
  // committed and only while the claim is held: a run that fails or loses its claim leaves the
  // previous watermark, so its retry reads those changes again (upserts make that harmless). An
  // empty set clears it (delta updates turned off). Disjoint rows: stale tables deleted, the run's
  // tables upserted. $1 job, $2 claim token, $3 workflow, $4 target key, $5 [{schema, table,
  // fingerprint, watermark, snapshotXmin}]. Returns held = 0 when the claim was lost.
  saveDeltaStates: `
    WITH held AS (SELECT 1 WHERE ${HOLDS_CLAIM("$1", "$2", " FOR SHARE")}),
    s AS (SELECT * FROM jsonb_to_recordset($5::jsonb) AS x(schema text, "table" text, fingerprint text, watermark timestamptz, "snapshotXmin" text)),
    gone AS (
      DELETE FROM delta_states d WHERE d.workflow_id = $3::uuid AND d.target_key = $4 AND EXISTS (SELECT 1 FROM held)
         AND NOT EXISTS (SELECT 1 FROM s WHERE s.schema = d.schema_name AND s."table" = d.table_name)),
    up AS (
      INSERT INTO delta_states (workflow_id, target_key, schema_name, table_name, fingerprint, watermark, snapshot_xmin, job_id)
      SELECT $3::uuid, $4, s.schema, s."table", s.fingerprint, s.watermark, s."snapshotXmin", $1::uuid FROM s WHERE EXISTS (SELECT 1 FROM held)
      ON CONFLICT (workflow_id, target_key, schema_name, table_name)
      DO UPDATE SET fingerprint = EXCLUDED.fingerprint, watermark = EXCLUDED.watermark, snapshot_xmin = EXCLUDED.snapshot_xmin, job_id = EXCLUDED.job_id, updated_at = now())
    SELECT count(*)::int AS held FROM held`,

  // INTROSPECT's result on its connection. $1 connection, $2 org, $3 result, $4 job, $5 claim token.
  /**
   * The connection form's passed test (a TEST_CONNECTION job of unsaved settings) becomes the saved
   * connection's latest test, only if it tested exactly the settings saved ($4, compared as jsonb).
   */
  adoptSettingsTest: `
    UPDATE jobs SET connection_id = $1::uuid
     WHERE id = $2::uuid AND org_id = $3::uuid AND kind = 'TEST_CONNECTION' AND status = 'SUCCEEDED'
       AND connection_id IS NULL AND input->'unsaved'->'config' = $4::jsonb`,

  storeIntrospection: `
    UPDATE connections c SET introspection = $3::jsonb, introspected_at = now()
     WHERE c.id = $1::uuid AND c.org_id = $2::uuid AND ${HOLDS_CLAIM("$4", "$5")}`,
} as const;

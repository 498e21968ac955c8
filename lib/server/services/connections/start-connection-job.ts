import { jobsPool, type Queryable } from "../../../jobs/db";
import { enqueueJob } from "../../../jobs/enqueue-job";
import { prisma, type Db } from "../../db";
import { AppError, notFound } from "../../errors";
import { LIMITS, rateLimitMessage } from "../../rate-limit";

export type ConnectionJobKind = "TEST_CONNECTION" | "INTROSPECT";

/**
 * Queues a test or an introspection of a connection; a test/introspection of the same connection
 * that is still queued or running is returned instead of a second one. Single attempt: a test
 * must report "host unreachable" now, not after five retries. Testing a PostgreSQL connection
 * also lists its tables (INTROSPECT): the test shows their count and size, and the workflow
 * editor finds the list cached. Too many failed tests refuse a new one (enforceTestLimits).
 */
export async function startConnectionJob(opts: { db?: Db; pool?: Queryable; orgId: string; userId: string; connectionId: string; kind: ConnectionJobKind }): Promise<{ jobId: string }> {
  const started = await startOne(opts);
  // The introspection that goes with a test tries the same password: one attempt, counted once.
  if (opts.kind === "TEST_CONNECTION" && started.connectionKind === "POSTGRES") await startOne({ ...opts, kind: "INTROSPECT", pairedWithTest: true });
  return { jobId: started.jobId };
}

async function startOne({ db = prisma, pool, orgId, userId, connectionId, kind, pairedWithTest = false }: { db?: Db; pool?: Queryable; orgId: string; userId: string; connectionId: string; kind: ConnectionJobKind; pairedWithTest?: boolean }) {
  const conn = await db.connection.findFirst({ where: { id: connectionId, orgId }, select: { id: true, kind: true } });
  if (!conn) throw notFound("That connection");
  const pending = await db.job.findFirst({
    where: { orgId, connectionId: conn.id, kind, status: { in: ["QUEUED", "RUNNING"] } },
    orderBy: { createdAt: "desc" },
    select: { id: true },
  });
  if (pending) return { jobId: pending.id, connectionKind: conn.kind };
  if (!pairedWithTest) await enforceTestLimits(db, orgId, conn.id);
  const { job } = await enqueueJob(pool ?? jobsPool(), { orgId, kind, connectionId: conn.id, triggeredByUserId: userId, maxAttempts: 1, input: pairedWithTest ? { pairedWithTest: true } : {} });
  if (!job) throw new Error("enqueueJob returned no job for a connection job");
  return { jobId: job.id, connectionKind: conn.kind };
}

/**
 * "Test connection" must be neither a password oracle nor a port scanner: failed tests and table
 * refreshes count against the connection and the organisation (LIMITS in rate-limit.ts), and so do
 * the ones still queued or running, so that a burst across many connections cannot outrun the count.
 * The jobs table already records each failure (kind, status, finished_at), and failures are known
 * only in the worker: counting them here is one query instead of a second counter the worker
 * would have to keep in step with the job's end. Tests of unsaved settings (startSettingsTest,
 * no connection: `connectionId` null) count against the organisation only.
 */
export async function enforceTestLimits(db: Db, orgId: string, connectionId: string | null): Promise<void> {
  const perConnection = LIMITS.connectionTestFailuresPerConnection;
  const perOrg = LIMITS.connectionTestFailuresPerOrg;
  const window = Math.max(perConnection.windowSeconds, perOrg.windowSeconds);
  const [row] = await db.$queryRaw<{ conn: number; org: number; conn_retry: number | null; org_retry: number | null }[]>`
    WITH counted AS (
      SELECT connection_id, finished_at FROM jobs
       WHERE org_id = ${orgId}::uuid AND kind::text IN ('TEST_CONNECTION', 'INTROSPECT') AND NOT (input ? 'pairedWithTest')
         AND (status::text IN ('QUEUED', 'RUNNING') OR status::text = 'FAILED' AND finished_at > now() - make_interval(secs => ${window}::int)))
    SELECT count(*) FILTER (WHERE connection_id = ${connectionId}::uuid AND (finished_at IS NULL OR finished_at > now() - make_interval(secs => ${perConnection.windowSeconds}::int)))::int AS conn,
           count(*) FILTER (WHERE finished_at IS NULL OR finished_at > now() - make_interval(secs => ${perOrg.windowSeconds}::int))::int AS org,
           ceil(extract(epoch FROM min(finished_at) FILTER (WHERE connection_id = ${connectionId}::uuid) + make_interval(secs => ${perConnection.windowSeconds}::int) - now()))::int AS conn_retry,
           ceil(extract(epoch FROM min(finished_at) + make_interval(secs => ${perOrg.windowSeconds}::int) - now()))::int AS org_retry
      FROM counted`;
  const retry = Math.max(row!.conn >= perConnection.max ? row!.conn_retry ?? 1 : 0, row!.org >= perOrg.max ? row!.org_retry ?? 1 : 0);
  if (retry > 0) throw new AppError("RATE_LIMITED", rateLimitMessage(Math.max(1, retry)));
}

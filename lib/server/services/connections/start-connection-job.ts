import { jobsPool, type Queryable } from "../../../jobs/db";
import { enqueueJob } from "../../../jobs/enqueue-job";
import { prisma, type Db } from "../../db";
import { notFound } from "../../errors";

export type ConnectionJobKind = "TEST_CONNECTION" | "INTROSPECT";

/**
 * Queues a test or an introspection of a connection; a test/introspection of the same connection
 * that is still queued or running is returned instead of a second one. Single attempt: a test
 * must report "host unreachable" now, not after five retries. Testing a PostgreSQL connection
 * also lists its tables (INTROSPECT): the test shows their count and size, and the workflow
 * editor finds the list cached.
 */
export async function startConnectionJob(opts: { db?: Db; pool?: Queryable; orgId: string; userId: string; connectionId: string; kind: ConnectionJobKind }): Promise<{ jobId: string }> {
  const started = await startOne(opts);
  if (opts.kind === "TEST_CONNECTION" && started.connectionKind === "POSTGRES") await startOne({ ...opts, kind: "INTROSPECT" });
  return { jobId: started.jobId };
}

async function startOne({ db = prisma, pool, orgId, userId, connectionId, kind }: { db?: Db; pool?: Queryable; orgId: string; userId: string; connectionId: string; kind: ConnectionJobKind }) {
  const conn = await db.connection.findFirst({ where: { id: connectionId, orgId }, select: { id: true, kind: true } });
  if (!conn) throw notFound("That connection");
  const pending = await db.job.findFirst({
    where: { orgId, connectionId: conn.id, kind, status: { in: ["QUEUED", "RUNNING"] } },
    orderBy: { createdAt: "desc" },
    select: { id: true },
  });
  if (pending) return { jobId: pending.id, connectionKind: conn.kind };
  const { job } = await enqueueJob(pool ?? jobsPool(), { orgId, kind, connectionId: conn.id, triggeredByUserId: userId, maxAttempts: 1 });
  if (!job) throw new Error("enqueueJob returned no job for a connection job");
  return { jobId: job.id, connectionKind: conn.kind };
}

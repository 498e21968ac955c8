import { enqueueJob } from "../../../jobs/enqueue-job";
import { prisma, type Db } from "../../db";
import { notFound } from "../../errors";
import { queryableOf } from "./jobs-queryable";

export type ConnectionJobKind = "TEST_CONNECTION" | "INTROSPECT";

/**
 * Queues a test or an introspection of a connection; a test/introspection of the same connection
 * that is still queued or running is returned instead of a second one. Single attempt: a test
 * must report "host unreachable" now, not after five retries.
 */
export async function startConnectionJob({ db = prisma, orgId, userId, connectionId, kind }: { db?: Db; orgId: string; userId: string; connectionId: string; kind: ConnectionJobKind }): Promise<{ jobId: string }> {
  const conn = await db.connection.findFirst({ where: { id: connectionId, orgId }, select: { id: true, kind: true } });
  if (!conn) throw notFound("That connection");
  const pending = await db.job.findFirst({
    where: { orgId, connectionId: conn.id, kind, status: { in: ["QUEUED", "RUNNING"] } },
    orderBy: { createdAt: "desc" },
    select: { id: true },
  });
  if (pending) return { jobId: pending.id };
  const { job } = await enqueueJob(queryableOf(db), { orgId, kind, connectionId: conn.id, triggeredByUserId: userId, maxAttempts: 1 });
  if (!job) throw new Error("enqueueJob returned no job for a connection job");
  return { jobId: job.id };
}

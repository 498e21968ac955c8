import { z } from "zod";
import { isUuid } from "../../../jobs/queue";
import { jobsPool, type Queryable } from "../../../jobs/db";
import { enqueueJob } from "../../../jobs/enqueue-job";
import { prisma, type Db } from "../../db";
import { AppError, notFound } from "../../errors";

// "Scan for personal data" on a PostgreSQL source connection: a PII_SCAN job (read-only
// sampling on the source, masked examples in its report).

export const ZStartScan = z.object({ connectionId: z.uuid() });

export async function startScan(opts: { db?: Db; pool?: Queryable; orgId: string; userId: string; connectionId: string }): Promise<{ jobId: string }> {
  const db = opts.db ?? prisma;
  const conn = isUuid(opts.connectionId) ? await db.connection.findFirst({ where: { id: opts.connectionId, orgId: opts.orgId }, select: { id: true, kind: true } }) : null;
  if (!conn) throw notFound("That connection");
  if (conn.kind !== "POSTGRES") throw new AppError("VALIDATION", "Only PostgreSQL connections can be scanned.");
  const { job } = await enqueueJob(opts.pool ?? jobsPool(), { orgId: opts.orgId, kind: "PII_SCAN", connectionId: conn.id, triggeredByUserId: opts.userId, input: {} });
  if (!job) throw new AppError("CONFLICT", "The scan could not be queued. Try again.");
  return { jobId: job.id };
}

import { ZPiiScanResult, type TPiiScanResult } from "../../../pii/types";
import { ZWorkflowConfig, type TWorkflowTable } from "../../../schemas/workflow";
import { prisma, type Db } from "../../db";
import { notFound } from "../../errors";

// Scans and their results. A scan is a PII_SCAN job; its report is a PiiScanResult (masked
// examples only), re-parsed here before anything shows it.

export type ScanListItem = { jobId: string; connection: { id: string; name: string } | null; status: string; createdAt: Date; finishedAt: Date | null; flagged: number | null };

export async function listScans({ db = prisma, orgId, take = 20 }: { db?: Db; orgId: string; take?: number }): Promise<ScanListItem[]> {
  const jobs = await db.job.findMany({ where: { orgId, kind: "PII_SCAN" }, orderBy: { createdAt: "desc" }, take, select: { id: true, connectionId: true, status: true, createdAt: true, finishedAt: true, report: true } });
  const conns = await db.connection.findMany({ where: { orgId, id: { in: jobs.map((j) => j.connectionId).filter((x): x is string => !!x) } }, select: { id: true, name: true } });
  const byId = new Map(conns.map((c) => [c.id, c]));
  return jobs.map((j) => {
    const totals = (j.report as { totals?: { columnsFlagged?: unknown } } | null)?.totals;
    return {
      jobId: j.id,
      connection: j.connectionId ? (byId.get(j.connectionId) ?? { id: j.connectionId, name: "Deleted connection" }) : null,
      status: j.status,
      createdAt: j.createdAt,
      finishedAt: j.finishedAt,
      flagged: typeof totals?.columnsFlagged === "number" ? totals.columnsFlagged : null,
    };
  });
}

export type ScanResult = { jobId: string; status: string; connectionId: string | null; result: TPiiScanResult | null };

export async function getScanResult({ db = prisma, orgId, jobId }: { db?: Db; orgId: string; jobId: string }): Promise<ScanResult> {
  const job = await db.job.findFirst({ where: { id: jobId, orgId, kind: "PII_SCAN" }, select: { id: true, status: true, connectionId: true, report: true } }).catch(() => null);
  if (!job) throw notFound("That scan");
  const parsed = job.status === "SUCCEEDED" ? ZPiiScanResult.safeParse(job.report) : null;
  return { jobId: job.id, status: job.status, connectionId: job.connectionId, result: parsed?.success ? parsed.data : null };
}

/** The latest finished scan of a connection, or null. */
export async function latestScanOf({ db = prisma, orgId, connectionId }: { db?: Db; orgId: string; connectionId: string }): Promise<(TPiiScanResult & { jobId: string; finishedAt: Date | null }) | null> {
  const job = await db.job.findFirst({ where: { orgId, connectionId, kind: "PII_SCAN", status: "SUCCEEDED" }, orderBy: { finishedAt: "desc" }, select: { id: true, report: true, finishedAt: true } });
  const parsed = job ? ZPiiScanResult.safeParse(job.report) : null;
  return parsed?.success ? { ...parsed.data, jobId: job!.id, finishedAt: job!.finishedAt } : null;
}

/** Workflows whose current version copies from this connection, with their table list. */
export async function workflowsForSource({ db = prisma, orgId, connectionId }: { db?: Db; orgId: string; connectionId: string }): Promise<{ id: string; name: string; tables: TWorkflowTable[] }[]> {
  const workflows = await db.workflow.findMany({ where: { orgId }, orderBy: { name: "asc" }, select: { id: true, name: true, currentVersion: true } });
  if (!workflows.length) return [];
  const versions = await db.workflowVersion.findMany({ where: { OR: workflows.map((w) => ({ workflowId: w.id, version: w.currentVersion })) }, select: { workflowId: true, config: true } });
  const configOf = new Map(versions.map((v) => [v.workflowId, ZWorkflowConfig.safeParse(v.config)]));
  return workflows.flatMap((w) => {
    const c = configOf.get(w.id);
    return c?.success && c.data.sourceConnectionId === connectionId ? [{ id: w.id, name: w.name, tables: c.data.tables }] : [];
  });
}

import { ZPiiScanResult, type TPiiScanResult } from "../../../pii/types";
import { ZWorkflowConfig, type TWorkflowTable } from "../../../schemas/workflow";
import { isUuid } from "../../../jobs/queue";
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
  const job = isUuid(jobId) ? await db.job.findFirst({ where: { id: jobId, orgId, kind: "PII_SCAN" }, select: { id: true, status: true, connectionId: true, report: true } }) : null;
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

export type SourceWorkflow = { id: string; name: string; tables: TWorkflowTable[] };

/** Workflows whose current version copies from this connection, with their table list. */
export async function workflowsForSource({ db = prisma, orgId, connectionId }: { db?: Db; orgId: string; connectionId: string }): Promise<SourceWorkflow[]> {
  return (await workflowsBySource({ db, orgId })).get(connectionId) ?? [];
}

/** The organisation's workflows by the source connection their current version copies from (by name). */
export async function workflowsBySource({ db = prisma, orgId }: { db?: Db; orgId: string }): Promise<Map<string, SourceWorkflow[]>> {
  const out = new Map<string, SourceWorkflow[]>();
  const workflows = await db.workflow.findMany({ where: { orgId }, orderBy: { name: "asc" }, select: { id: true, name: true, currentVersion: true } });
  if (!workflows.length) return out;
  const versions = await db.workflowVersion.findMany({ where: { OR: workflows.map((w) => ({ workflowId: w.id, version: w.currentVersion })) }, select: { workflowId: true, config: true } });
  const configOf = new Map(versions.map((v) => [v.workflowId, ZWorkflowConfig.safeParse(v.config)]));
  for (const w of workflows) {
    const c = configOf.get(w.id);
    if (!c?.success) continue;
    const list = out.get(c.data.sourceConnectionId) ?? [];
    list.push({ id: w.id, name: w.name, tables: c.data.tables });
    out.set(c.data.sourceConnectionId, list);
  }
  return out;
}

export type ConnectionScans = {
  /** The latest finished scan's result (what the scan page shows), or null. */
  latest: (TPiiScanResult & { jobId: string; finishedAt: Date | null }) | null;
  /** A newer scan that is queued, running or failed, to say so beside the older result. */
  newer: { jobId: string; status: string } | null;
};

/** Per connection of the organisation that was ever scanned: its latest finished scan, and a newer unfinished or failed one. */
export async function latestScansByConnection({ db = prisma, orgId }: { db?: Db; orgId: string }): Promise<Map<string, ConnectionScans>> {
  const [succeeded, newest] = await Promise.all([
    db.job.findMany({ where: { orgId, kind: "PII_SCAN", status: "SUCCEEDED", connectionId: { not: null } }, orderBy: [{ connectionId: "asc" }, { finishedAt: "desc" }], distinct: ["connectionId"], select: { id: true, connectionId: true, report: true, finishedAt: true, createdAt: true } }),
    db.job.findMany({ where: { orgId, kind: "PII_SCAN", connectionId: { not: null } }, orderBy: [{ connectionId: "asc" }, { createdAt: "desc" }], distinct: ["connectionId"], select: { id: true, connectionId: true, status: true } }),
  ]);
  const out = new Map<string, ConnectionScans>();
  for (const j of succeeded) {
    const parsed = ZPiiScanResult.safeParse(j.report);
    out.set(j.connectionId!, { latest: parsed.success ? { ...parsed.data, jobId: j.id, finishedAt: j.finishedAt } : null, newer: null });
  }
  for (const j of newest) {
    if (j.status === "SUCCEEDED" && out.get(j.connectionId!)?.latest?.jobId === j.id) continue;
    const entry = out.get(j.connectionId!) ?? { latest: null, newer: null };
    if (j.status !== "SUCCEEDED") entry.newer = { jobId: j.id, status: j.status };
    out.set(j.connectionId!, entry);
  }
  return out;
}

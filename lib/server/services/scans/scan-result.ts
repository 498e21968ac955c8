import { ZPiiScanResult, type TPiiScanResult } from "../../../pii/types";
import type { TWorkflowConfig } from "../../../schemas/workflow";
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

/** How a workflow treats a column: "rule" (has one; which), "unprotected" (table selected, no rule) or "not selected". */
export type Coverage = { state: "rule"; rule: string } | { state: "unprotected" } | { state: "not_selected" };

export function coverageOf(config: TWorkflowConfig | null, schema: string, table: string, column: string): Coverage {
  const t = config?.tables.find((x) => x.schema === schema && x.table === table);
  if (!t) return { state: "not_selected" };
  const rule = t.rules[column];
  return rule ? { state: "rule", rule: rule.rule } : { state: "unprotected" };
}

import { ZWorkflowConfig } from "../../../schemas/workflow";
import { prisma, type Db } from "../../db";

export type WorkflowListItem = {
  id: string;
  name: string;
  version: number;
  source: string | null;
  outputs: string[];
  tables: number;
  schedule: { cron: string; enabled: boolean } | null;
  lastRun: { status: string; at: Date } | null;
};

/** The organisation's workflows with names of their connections and their latest run. */
export async function listWorkflows({ db = prisma, orgId }: { db?: Db; orgId: string }): Promise<WorkflowListItem[]> {
  const [workflows, connections, runs] = await Promise.all([
    db.workflow.findMany({ where: { orgId }, orderBy: { name: "asc" }, select: { id: true, name: true, currentVersion: true, cron: true, scheduleEnabled: true, versions: { select: { version: true, config: true } } } }),
    db.connection.findMany({ where: { orgId }, select: { id: true, name: true } }),
    db.$queryRaw<{ workflow_id: string; status: string; at: Date }[]>`
      SELECT DISTINCT ON (workflow_id) workflow_id, status::text AS status, COALESCE(finished_at, started_at, created_at) AS at FROM jobs
       WHERE org_id = ${orgId}::uuid AND kind = 'CLONE' AND workflow_id IS NOT NULL
       ORDER BY workflow_id, created_at DESC`,
  ]);
  const names = new Map(connections.map((c) => [c.id, c.name]));
  const lastRun = new Map(runs.map((r) => [r.workflow_id, { status: r.status, at: r.at }]));
  return workflows.map((w) => {
    const v = w.versions.find((x) => x.version === w.currentVersion);
    const parsed = v ? ZWorkflowConfig.safeParse(v.config) : null;
    const c = parsed?.success ? parsed.data : null;
    const name = (id: string) => names.get(id) ?? "(deleted connection)";
    return {
      id: w.id,
      name: w.name,
      version: w.currentVersion,
      source: c ? name(c.sourceConnectionId) : null,
      outputs: c ? [c.outputs.target && name(c.outputs.target.connectionId), c.outputs.s3 && `${name(c.outputs.s3.connectionId)} (S3)`].filter((x): x is string => !!x) : [],
      tables: c?.tables.length ?? 0,
      schedule: w.cron ? { cron: w.cron, enabled: w.scheduleEnabled } : null,
      lastRun: lastRun.get(w.id) ?? null,
    };
  });
}

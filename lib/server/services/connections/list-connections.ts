import { prisma, type Db } from "../../db";
import { type ConnectionKind, connectionSummary } from "./connection-settings";

export type ConnectionListItem = {
  id: string;
  name: string;
  kind: ConnectionKind;
  summary: string;
  lastTest: { status: string; finishedAt: Date | null } | null;
  updatedAt: Date;
};

/** The organisation's connections, with the outcome of each one's latest test. No secrets. */
export async function listConnections({ db = prisma, orgId }: { db?: Db; orgId: string }): Promise<ConnectionListItem[]> {
  const rows = await db.connection.findMany({
    where: { orgId },
    orderBy: { name: "asc" },
    select: { id: true, name: true, kind: true, config: true, updatedAt: true },
  });
  const tests = rows.length
    ? await db.$queryRaw<{ connection_id: string; status: string; finished_at: Date | null }[]>`
        SELECT DISTINCT ON (connection_id) connection_id, status::text AS status, finished_at FROM jobs
         WHERE org_id = ${orgId}::uuid AND kind = 'TEST_CONNECTION' AND connection_id IS NOT NULL
         ORDER BY connection_id, created_at DESC`
    : [];
  const byId = new Map(tests.map((t) => [t.connection_id, { status: t.status, finishedAt: t.finished_at }]));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    kind: r.kind,
    summary: connectionSummary(r.kind, r.config),
    lastTest: byId.get(r.id) ?? null,
    updatedAt: r.updatedAt,
  }));
}

/** Id, name and kind only: what workflow pickers need (editors may see names, never settings). */
export async function listConnectionNames({ db = prisma, orgId }: { db?: Db; orgId: string }) {
  return db.connection.findMany({ where: { orgId }, orderBy: { name: "asc" }, select: { id: true, name: true, kind: true } });
}

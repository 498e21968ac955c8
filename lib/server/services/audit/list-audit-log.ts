import type { AuditLogWhereInput } from "../../../../generated/prisma/models";
import type { TAuditFilter } from "../../../schemas/audit-filter";
import { prisma, type Db } from "../../db";

export const AUDIT_PAGE_SIZE = 50;

// Sign-ins are recorded without an organisation (once per user); an organisation's log shows
// those of its current members beside its own entries.
const USER_ACTIONS = ["auth.sign_in", "auth.sign_in_failed", "auth.sign_up"];

const SELECT = { id: true, actorId: true, actorLabel: true, action: true, target: true, details: true, createdAt: true } as const;

export type AuditLogEntry = { id: string; actorId: string | null; actorLabel: string; action: string; target: string | null; details: unknown; createdAt: Date };

/** Where the next page starts: the last entry shown (time and id, so equal times are not skipped). */
export type AuditCursor = { createdAt: Date; id: string };

export function encodeAuditCursor(e: AuditCursor): string {
  return `${e.createdAt.toISOString()}_${e.id}`;
}

/** `undefined` for anything that is not a cursor this module wrote. */
export function decodeAuditCursor(raw: string | undefined): AuditCursor | undefined {
  const m = raw?.match(/^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)_([0-9a-f-]{36})$/);
  if (!m || Number.isNaN(Date.parse(m[1]!))) return undefined;
  return { createdAt: new Date(m[1]!), id: m[2]! };
}

/** The organisation's entries (tenancy: the org id is the caller's resolved membership) narrowed by the filter. */
async function auditWhere(db: Db, orgId: string, filter: TAuditFilter): Promise<AuditLogWhereInput[]> {
  const memberIds = (await db.membership.findMany({ where: { orgId }, select: { userId: true } })).map((m) => m.userId);
  const dayStart = (d: string, addDays = 0) => new Date(Date.parse(`${d}T00:00:00Z`) + addDays * 86_400_000);
  return [
    { OR: [{ orgId }, { orgId: null, actorId: { in: memberIds }, action: { in: USER_ACTIONS } }] },
    filter.actor ? { actorId: filter.actor } : {},
    filter.action ? { action: filter.action } : {},
    filter.from ? { createdAt: { gte: dayStart(filter.from) } } : {},
    filter.to ? { createdAt: { lt: dayStart(filter.to, 1) } } : {},
  ];
}

const after = (c: AuditCursor | undefined): AuditLogWhereInput =>
  c ? { OR: [{ createdAt: { lt: c.createdAt } }, { createdAt: c.createdAt, id: { lt: c.id } }] } : {};

const ORDER = [{ createdAt: "desc" as const }, { id: "desc" as const }];

/** One page of the organisation's audit log, newest first, optionally filtered. */
export async function listAuditLog({ db = prisma, orgId, filter = {}, before }: { db?: Db; orgId: string; filter?: TAuditFilter; before?: AuditCursor }) {
  const where = await auditWhere(db, orgId, filter);
  const rows: AuditLogEntry[] = await db.auditLog.findMany({ where: { AND: [...where, after(before)] }, select: SELECT, orderBy: ORDER, take: AUDIT_PAGE_SIZE + 1 });
  const entries = rows.slice(0, AUDIT_PAGE_SIZE);
  const last = entries.at(-1);
  return { entries, hasMore: rows.length > AUDIT_PAGE_SIZE, next: rows.length > AUDIT_PAGE_SIZE && last ? encodeAuditCursor(last) : undefined };
}

/** Every entry the filter matches, newest first, in batches (the CSV export streams them). */
export async function* eachAuditLogBatch({ db = prisma, orgId, filter = {}, batchSize = 500 }: { db?: Db; orgId: string; filter?: TAuditFilter; batchSize?: number }): AsyncGenerator<AuditLogEntry[]> {
  const where = await auditWhere(db, orgId, filter);
  let cursor: AuditCursor | undefined;
  for (;;) {
    const rows: AuditLogEntry[] = await db.auditLog.findMany({ where: { AND: [...where, after(cursor)] }, select: SELECT, orderBy: ORDER, take: batchSize });
    if (rows.length > 0) yield rows;
    if (rows.length < batchSize) return;
    cursor = rows.at(-1)!;
  }
}

/** Who appears in the organisation's log (for the actor filter): each user once, with their latest label. */
export async function listAuditActors({ db = prisma, orgId }: { db?: Db; orgId: string }): Promise<{ id: string; label: string }[]> {
  const where = await auditWhere(db, orgId, {});
  const groups = await db.auditLog.groupBy({ by: ["actorId", "actorLabel"], where: { AND: [...where, { actorId: { not: null } }] }, _max: { createdAt: true } });
  const latest = new Map<string, { label: string; at: number }>();
  for (const g of groups) {
    const at = g._max.createdAt?.getTime() ?? 0;
    const seen = latest.get(g.actorId!);
    if (!seen || at > seen.at) latest.set(g.actorId!, { label: g.actorLabel, at });
  }
  return [...latest].map(([id, { label }]) => ({ id, label })).sort((a, b) => a.label.localeCompare(b.label));
}

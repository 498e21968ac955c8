import type { Role } from "../../../../generated/prisma/enums";
import { prisma, type Db } from "../../db";
import { API_KEY_PREFIX, hashApiKey } from "./api-key-token";

export type ApiPrincipal = { keyId: string; orgId: string; org: { id: string; slug: string; name: string }; role: Role; label: string };

// lastUsedAt is for the admin list; refreshing it at most once a minute keeps polling CI jobs
// from writing on every request.
const LAST_USED_GRANULARITY_MS = 60_000;

/** The key from `Authorization: Bearer dpl_...`, or null when missing, unknown or revoked. */
export async function verifyApiKey({ db = prisma, authorization }: { db?: Db; authorization: string | null }): Promise<ApiPrincipal | null> {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  const key = m?.[1];
  if (!key || !key.startsWith(API_KEY_PREFIX) || key.length > 200) return null;
  const row = await db.apiKey.findUnique({ where: { keyHash: hashApiKey(key) }, select: { id: true, orgId: true, role: true, name: true, prefix: true, revokedAt: true, lastUsedAt: true, org: { select: { id: true, slug: true, name: true } } } });
  if (!row || row.revokedAt) return null;
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > LAST_USED_GRANULARITY_MS) {
    await db.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  return { keyId: row.id, orgId: row.orgId, org: row.org, role: row.role, label: `API key ${row.name} (${row.prefix}…)` };
}

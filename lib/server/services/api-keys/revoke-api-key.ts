import { recordAudit } from "../../audit";
import { isUuid } from "../../../jobs/queue";
import { prisma, type Db } from "../../db";
import { AppError, notFound } from "../../errors";
import { can } from "../../permissions";
import type { OrgActor } from "../../tenancy/membership";

/** Revoked keys stop working at once (verifyApiKey checks revokedAt on every request). */
export async function revokeApiKey({ db = prisma, orgId, actor, keyId }: { db?: Db; orgId: string; actor: OrgActor; keyId: string }): Promise<void> {
  if (!can(actor.role, "api_key", "delete")) throw new AppError("FORBIDDEN", "Only admins can revoke API keys.");
  const key = isUuid(keyId) ? await db.apiKey.findFirst({ where: { id: keyId, orgId, revokedAt: null }, select: { id: true, name: true } }) : null;
  if (!key) throw notFound("That API key");
  await db.apiKey.updateMany({ where: { id: key.id, orgId, revokedAt: null }, data: { revokedAt: new Date() } });
  await recordAudit({ orgId, actor: { id: actor.userId, label: actor.label }, action: "api_key.revoked", target: key.name }, db);
}

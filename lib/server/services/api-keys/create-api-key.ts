import { ZCreateApiKey } from "../../../schemas/api-key";
import { recordAudit } from "../../audit";
import { prisma, type Db } from "../../db";
import { AppError } from "../../errors";
import { can, canAssignRole } from "../../permissions";
import type { OrgActor } from "../actor";
import { newApiKey } from "./api-key-token";

export type CreateApiKeyOptions = { db?: Db; orgId: string; actor: OrgActor; data: unknown };
/** `key` is returned once, to show to the admin; only its hash is stored. */
export type CreatedApiKey = { id: string; key: string; prefix: string; name: string; role: string };

export async function createApiKey({ db = prisma, orgId, actor, data }: CreateApiKeyOptions): Promise<CreatedApiKey> {
  if (!can(actor.role, "api_key", "create")) throw new AppError("FORBIDDEN", "Only admins can create API keys.");
  const parsed = ZCreateApiKey.safeParse(data);
  if (!parsed.success) throw new AppError("VALIDATION", "Check the highlighted fields.", parsed.error.flatten().fieldErrors);
  const { name, role } = parsed.data;
  if (!canAssignRole(actor.role, role)) throw new AppError("FORBIDDEN", "You cannot create a key with that role.");
  const { key, prefix, keyHash } = newApiKey();
  const row = await db.apiKey.create({ data: { orgId, name, role, prefix, keyHash, createdById: actor.userId }, select: { id: true } });
  await recordAudit({ orgId, actor: { id: actor.userId, label: actor.label }, action: "api_key.created", target: name, details: { role, prefix } }, db);
  return { id: row.id, key, prefix, name, role };
}

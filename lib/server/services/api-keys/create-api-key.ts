import type { TCreateApiKey } from "../../../schemas/api-key";
import { recordAudit } from "../../audit";
import { prisma, type Db } from "../../db";
import { AppError } from "../../errors";
import { canAssignRole } from "../../permissions";
import type { OrgActor } from "../../tenancy/membership";
import { newApiKey } from "./api-key-token";

// Called by the apiKey.create action only: orgAction has checked the api_key/create permission and
// parsed the input with ZCreateApiKey. What is left is this service's own rule: a key's role is
// one the admin could give a member.

export type CreateApiKeyOptions = { db?: Db; orgId: string; actor: OrgActor; data: TCreateApiKey };
/** `key` is returned once, to show to the admin; only its hash is stored. */
export type CreatedApiKey = { id: string; key: string; prefix: string; name: string; role: string };

export async function createApiKey({ db = prisma, orgId, actor, data }: CreateApiKeyOptions): Promise<CreatedApiKey> {
  const { name, role } = data;
  if (!canAssignRole(actor.role, role)) throw new AppError("FORBIDDEN", "You cannot create a key with that role.");
  const { key, prefix, keyHash } = newApiKey();
  const row = await db.apiKey.create({ data: { orgId, name, role, prefix, keyHash, createdById: actor.userId }, select: { id: true } });
  await recordAudit({ orgId, actor: { id: actor.userId, label: actor.label }, action: "api_key.created", target: name, details: { role, prefix } }, db);
  return { id: row.id, key, prefix, name, role };
}

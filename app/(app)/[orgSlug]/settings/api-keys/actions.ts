"use server";

import { z } from "zod";
import { ZCreateApiKey } from "@/lib/schemas/api-key";
import { orgAction } from "@/lib/server/tenancy/org-action";
import { createApiKey } from "@/lib/server/services/api-keys/create-api-key";
import { revokeApiKey } from "@/lib/server/services/api-keys/revoke-api-key";

/** The key is in the result once, for the admin to copy; only its hash is stored. */
export const createApiKeyAction = orgAction({ name: "apiKey.create", schema: ZCreateApiKey, permission: ["api_key", "create"] }, (ctx, input) =>
  createApiKey({ db: ctx.db, orgId: ctx.org.id, actor: ctx.actor, data: input }),
);

export const revokeApiKeyAction = orgAction({ name: "apiKey.revoke", schema: z.object({ keyId: z.uuid() }), permission: ["api_key", "delete"] }, async (ctx, input) => {
  await revokeApiKey({ db: ctx.db, orgId: ctx.org.id, actor: ctx.actor, keyId: input.keyId });
  return null;
});

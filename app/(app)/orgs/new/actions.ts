"use server";

import { ZCreateOrg } from "@/lib/schemas/org";
import { createOrg } from "@/lib/server/services/orgs/create-org";
import { userAction } from "@/lib/server/user-action";

export const createOrgAction = userAction({ name: "org.create", schema: ZCreateOrg }, async (ctx, input) => {
  const user = await ctx.db.user.findUniqueOrThrow({ where: { id: ctx.userId }, select: { email: true } });
  const org = await createOrg({ db: ctx.db, userId: ctx.userId, actorLabel: user.email, name: input.name });
  return { orgSlug: org.slug };
});

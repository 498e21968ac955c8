"use server";

import { ZAcceptInvite } from "@/lib/schemas/org";
import { acceptInvite } from "@/lib/server/services/invites/accept-invite";
import { userAction } from "@/lib/server/user-action";

export const acceptInviteAction = userAction({ name: "invite.accept", schema: ZAcceptInvite }, async (ctx, input) => {
  const org = await acceptInvite({ db: ctx.db, token: input.token, userId: ctx.userId });
  return { orgSlug: org.slug };
});

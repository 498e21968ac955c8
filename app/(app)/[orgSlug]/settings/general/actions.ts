"use server";

import { ZDeleteOrg, ZRenameOrg, ZSetUnreviewedColumns } from "@/lib/schemas/org";
import { orgAction } from "@/lib/server/tenancy/org-action";
import { deleteOrg } from "@/lib/server/services/orgs/delete-org";
import { renameOrg } from "@/lib/server/services/orgs/rename-org";
import { setUnreviewedColumns } from "@/lib/server/services/orgs/set-unreviewed-columns";

export const renameOrgAction = orgAction({ name: "org.rename", schema: ZRenameOrg, permission: ["org", "update"] }, async (ctx, input) => {
  await renameOrg({ db: ctx.db, orgId: ctx.org.id, actor: ctx.actor, name: input.name });
  return null;
});

export const deleteOrgAction = orgAction({ name: "org.delete", schema: ZDeleteOrg, permission: ["org", "delete"] }, async (ctx, input) => {
  await deleteOrg({ db: ctx.db, orgId: ctx.org.id, slug: ctx.org.slug, confirmSlug: input.confirmSlug });
  return null;
});

export const setUnreviewedColumnsAction = orgAction({ name: "org.setUnreviewedColumns", schema: ZSetUnreviewedColumns, permission: ["org", "update"] }, async (ctx, input) => {
  await setUnreviewedColumns({ db: ctx.db, orgId: ctx.org.id, actor: ctx.actor, policy: input.policy });
  return null;
});

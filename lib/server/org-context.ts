import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import type { Role } from "../../generated/prisma/enums";
import { prisma } from "./db";
import { can, type Action, type Resource } from "./permissions";
import { getSessionUser, type SessionUser } from "./session";

// Reads inside an organisation: the [orgSlug] layout and every page call this. Membership is
// resolved once per request from the session; an unknown org and a non-member get the same
// 404. Queries then use `ctx.org.id` in their where clause.

export type OrgContext = {
  user: SessionUser;
  org: { id: string; slug: string; name: string };
  role: Role;
  membershipId: string;
  can(resource: Resource, action: Action): boolean;
};

export const getOrgContext = cache(async (orgSlug: string): Promise<OrgContext> => {
  const user = await getSessionUser();
  if (!user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(`/${orgSlug}`)}`);
  const membership = await prisma.membership.findFirst({
    where: { userId: user.id, org: { slug: orgSlug } },
    select: { id: true, role: true, org: { select: { id: true, slug: true, name: true } } },
  });
  if (!membership) notFound();
  const role = membership.role;
  return { user, org: membership.org, role, membershipId: membership.id, can: (r, a) => can(role, r, a) };
});

/** For pages: a role without the permission sees the same 404 as a stranger. */
export async function requireOrgPermission(orgSlug: string, resource: Resource, action: Action): Promise<OrgContext> {
  const ctx = await getOrgContext(orgSlug);
  if (!ctx.can(resource, action)) notFound();
  return ctx;
}

import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { prisma } from "../db";
import { getSessionUser, type SessionUser } from "../session";
import type { Action, Resource } from "../permissions";
import { resolveMembership, type MemberContext } from "./membership";

// Reads inside an organisation: the [orgSlug] layout and every page call this. Membership is
// resolved once per request from the session (membership.ts); an unknown org and a non-member
// get the same 404. Queries then use `ctx.org.id` in their where clause.

export type OrgContext = MemberContext & { user: SessionUser };

export const getOrgContext = cache(async (orgSlug: string): Promise<OrgContext> => {
  const user = await getSessionUser();
  if (!user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(`/${orgSlug}`)}`);
  const member = await resolveMembership({ db: prisma, userId: user.id, org: { slug: orgSlug } });
  if (!member) notFound();
  return { ...member, user };
});

/** For pages: a role without the permission sees the same 404 as a stranger. */
export async function requireOrgPermission(orgSlug: string, resource: Resource, action: Action): Promise<OrgContext> {
  const ctx = await getOrgContext(orgSlug);
  if (!ctx.can(resource, action)) notFound();
  return ctx;
}

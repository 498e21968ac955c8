import type { Role } from "../../../generated/prisma/enums";
import { isUuid } from "../../jobs/queue";
import type { Db } from "../db";
import { AppError } from "../errors";
import { can, type Action, type Permission, type Resource } from "../permissions";

// The tenancy door. Every entry path resolves "who is acting in which organisation" here and
// gets the same context object: server actions (org-action.ts), pages and layouts
// (org-context.ts), the browser's poll routes (org-route.ts) and the CI/CLI API with its API
// keys (api-route.ts). Membership is looked up by the URL's organisation (never the body) or, for
// the job poll that has no organisation in its URL, by the organisation that holds the job — in
// the query, so a stranger's request finds nothing. Services then put `ctx.org.id` in every where.

/** Who is acting inside an organisation: a member (userId) or an API key (keyId). Built once, here. */
export type OrgActor = { userId: string | null; keyId?: string | null; label: string; role: Role };

export type TenantContext = {
  org: { id: string; slug: string; name: string };
  role: Role;
  actor: OrgActor;
  can(resource: Resource, action: Action): boolean;
};

/** A signed-in member's context (actions, pages, poll routes). */
export type MemberContext = TenantContext & { user: { id: string; email: string; name: string }; membershipId: string };

/** Which organisation the request names: by its URL slug, or the one holding a job (GET /api/jobs/{id}). */
export type OrgLookup = { slug: string } | { jobId: string };

/** The membership of `userId` in the named organisation, or null (unknown org, not a member). */
export async function resolveMembership(opts: { db: Db; userId: string; org: OrgLookup }): Promise<MemberContext | null> {
  const org = "slug" in opts.org ? { slug: String(opts.org.slug) } : isUuid(opts.org.jobId) ? { jobs: { some: { id: opts.org.jobId } } } : null;
  if (!org) return null; // a malformed job id names no organisation
  const m = await opts.db.membership.findFirst({
    where: { userId: opts.userId, org },
    select: {
      id: true,
      role: true,
      org: { select: { id: true, slug: true, name: true } },
      user: { select: { id: true, email: true, name: true } },
    },
  });
  if (!m) return null;
  return { ...tenantContext(m.org, { userId: m.user.id, label: m.user.email, role: m.role }), user: m.user, membershipId: m.id };
}

/** The context for an organisation and an actor (the API key variant builds it from the key). */
export function tenantContext(org: TenantContext["org"], actor: OrgActor): TenantContext {
  return { org, role: actor.role, actor, can: (resource, action) => can(actor.role, resource, action) };
}

/** An action's needs: one permission or a list of them (all are required). */
export type Permissions = Permission | readonly Permission[];

export function permissionList(p: Permissions): readonly Permission[] {
  return typeof p[0] === "string" ? [p as Permission] : (p as readonly Permission[]);
}

/** The permissions of `needs` that the role lacks (empty: allowed). */
export function missingPermissions(role: Role, needs: Permissions): Permission[] {
  return permissionList(needs).filter(([resource, action]) => !can(role, resource, action));
}

/** Throws FORBIDDEN (with `message`, or one naming the actor) unless the actor has every permission. */
export function requirePermissions(actor: Pick<OrgActor, "role" | "keyId">, needs: Permissions, message?: string): void {
  if (missingPermissions(actor.role, needs).length === 0) return;
  throw new AppError("FORBIDDEN", message ?? (actor.keyId ? `This API key's role (${actor.role.toLowerCase()}) cannot do that.` : "Your role in this organisation does not allow that."));
}

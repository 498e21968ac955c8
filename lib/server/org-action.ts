import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { Role } from "../../generated/prisma/enums";
import { registerAction } from "./action-registry";
import { prisma, type Db } from "./db";
import { AppError, notFound, toActionError, type ActionResult } from "./errors";
import { can, type Permission } from "./permissions";
import { getSessionUser } from "./session";

// The one wrapper for every organisation-scoped mutation:
//   session -> membership by the route's orgSlug -> permission -> zod -> run.
// The handler gets `ctx.org.id` and must put it in every where clause.

export type OrgActionCtx = {
  db: Db;
  user: { id: string; email: string; name: string };
  org: { id: string; slug: string; name: string };
  role: Role;
  membershipId: string;
};

type Def<S extends z.ZodType> = { name: string; schema: S; permission: Permission };

export function validationError(error: z.ZodError) {
  return new AppError("VALIDATION", "Please correct the highlighted fields.", z.flattenError(error).fieldErrors as Record<string, string[]>);
}

export async function runOrgAction<S extends z.ZodType, R>(
  def: Def<S>,
  fn: (ctx: OrgActionCtx, input: z.output<S>) => Promise<R>,
  opts: { db: Db; userId: string; orgSlug: string; input: unknown },
): Promise<ActionResult<R>> {
  try {
    const membership = await opts.db.membership.findFirst({
      where: { userId: opts.userId, org: { slug: String(opts.orgSlug) } },
      select: {
        id: true,
        role: true,
        org: { select: { id: true, slug: true, name: true } },
        user: { select: { id: true, email: true, name: true } },
      },
    });
    if (!membership) throw notFound("That organisation");
    const [resource, action] = def.permission;
    if (!can(membership.role, resource, action)) throw new AppError("FORBIDDEN", "Your role in this organisation does not allow that.");
    const parsed = def.schema.safeParse(opts.input);
    if (!parsed.success) throw validationError(parsed.error);
    const ctx: OrgActionCtx = { db: opts.db, user: membership.user, org: membership.org, role: membership.role, membershipId: membership.id };
    return { ok: true, data: await fn(ctx, parsed.data) };
  } catch (err) {
    return { ok: false, error: toActionError(err) };
  }
}

export function orgAction<S extends z.ZodType, R>(def: Def<S>, fn: (ctx: OrgActionCtx, input: z.output<S>) => Promise<R>) {
  registerAction({
    name: def.name,
    kind: "org",
    permission: def.permission,
    invoke: ({ db, userId, orgSlug, input }) =>
      userId && orgSlug ? runOrgAction(def, fn, { db, userId, orgSlug, input }) : Promise.resolve(unauthenticated()),
  });
  return async function action(orgSlug: string, input: z.input<S>): Promise<ActionResult<R>> {
    const user = await getSessionUser();
    if (!user) return unauthenticated();
    const result = await runOrgAction(def, fn, { db: prisma, userId: user.id, orgSlug, input });
    if (result.ok) revalidatePath(`/${orgSlug}`, "layout");
    return result;
  };
}

export const unauthenticated = (): { ok: false; error: { code: "UNAUTHENTICATED"; message: string } } => ({
  ok: false,
  error: { code: "UNAUTHENTICATED", message: "Your session has ended. Please sign in again." },
});

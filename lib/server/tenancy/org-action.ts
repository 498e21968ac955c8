import { revalidatePath } from "next/cache";
import { z } from "zod";
import { registerAction } from "../action-registry";
import { prisma, type Db } from "../db";
import { AppError, notFound, toActionError, type ActionResult } from "../errors";
import { getSessionUser } from "../session";
import { requirePermissions, resolveMembership, type MemberContext, type Permissions } from "./membership";

// The one wrapper for every organisation-scoped mutation:
//   session -> membership by the route's orgSlug (membership.ts) -> permissions -> zod -> run.
// The handler gets `ctx.org.id` and must put it in every where clause; `ctx.actor` is who acts.

export type OrgActionCtx = MemberContext & { db: Db };

/** `permission`: what the action needs — one permission or a list (all required). */
type Def<S extends z.ZodType> = { name: string; schema: S; permission: Permissions };

export function validationError(error: z.ZodError) {
  return new AppError("VALIDATION", "Please correct the highlighted fields.", z.flattenError(error).fieldErrors as Record<string, string[]>);
}

export async function runOrgAction<S extends z.ZodType, R>(
  def: Def<S>,
  fn: (ctx: OrgActionCtx, input: z.output<S>) => Promise<R>,
  opts: { db: Db; userId: string; orgSlug: string; input: unknown },
): Promise<ActionResult<R>> {
  try {
    const member = await resolveMembership({ db: opts.db, userId: opts.userId, org: { slug: opts.orgSlug } });
    if (!member) throw notFound("That organisation");
    requirePermissions(member.actor, def.permission);
    const parsed = def.schema.safeParse(opts.input);
    if (!parsed.success) throw validationError(parsed.error);
    return { ok: true, data: await fn({ ...member, db: opts.db }, parsed.data) };
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

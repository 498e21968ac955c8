import type { Role } from "../../../../generated/prisma/enums";
import { prisma, type Db } from "../../db";
import { AppError, httpStatus, notFound, toActionError } from "../../errors";
import { can, type Permission } from "../../permissions";
import { getSessionUser } from "../../session";

// Session-authenticated JSON route handlers for the browser (polling): the same steps as
// orgAction — session -> membership by the URL's orgSlug -> permission — then `fn`. A role
// without the permission gets the same 404 as a stranger. Errors are `{ error: { code, message } }`.

export type OrgRouteCtx = { orgId: string; userId: string; role: Role };

export async function resolveOrgRoute(opts: { db?: Db; userId: string; orgSlug: string; permission: Permission }): Promise<OrgRouteCtx> {
  const db = opts.db ?? prisma;
  const m = await db.membership.findFirst({ where: { userId: opts.userId, org: { slug: String(opts.orgSlug) } }, select: { role: true, orgId: true } });
  if (!m || !can(m.role, ...opts.permission)) throw notFound("That page");
  return { orgId: m.orgId, userId: opts.userId, role: m.role };
}

export async function orgRouteContext<T>(orgSlug: string, permission: Permission, fn: (ctx: OrgRouteCtx) => Promise<T>): Promise<Response> {
  const headers = { "cache-control": "no-store" };
  try {
    const user = await getSessionUser();
    if (!user) throw new AppError("UNAUTHENTICATED", "Your session has ended. Please sign in again.");
    const ctx = await resolveOrgRoute({ userId: user.id, orgSlug, permission });
    return Response.json(await fn(ctx), { headers });
  } catch (err) {
    const e = toActionError(err);
    return Response.json({ error: { code: e.code, message: e.message } }, { status: httpStatus(e.code), headers });
  }
}

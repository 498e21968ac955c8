import { prisma } from "../db";
import { AppError, errorResponse, notFound } from "../errors";
import { getSessionUser } from "../session";
import { missingPermissions, resolveMembership, type MemberContext, type OrgLookup, type Permissions } from "./membership";

// Session-authenticated JSON route handlers for the browser (polling): the same steps as
// orgAction — session -> membership (membership.ts) -> permissions — then `fn`. A role without
// the permissions gets the same 404 as a stranger. Errors go through errorResponse (errors.ts).

/** `org`: the URL's organisation slug, or the job whose organisation it is (GET /api/jobs/{id}). */
export async function orgRouteContext<T>(org: string | OrgLookup, permissions: Permissions, fn: (ctx: MemberContext) => Promise<T>): Promise<Response> {
  const headers = { "cache-control": "no-store" };
  try {
    const user = await getSessionUser();
    if (!user) throw new AppError("UNAUTHENTICATED", "Your session has ended. Please sign in again.");
    const ctx = await resolveMembership({ db: prisma, userId: user.id, org: typeof org === "string" ? { slug: org } : org });
    if (!ctx || missingPermissions(ctx.role, permissions).length > 0) throw notFound(typeof org === "string" ? "That page" : "That run");
    return Response.json(await fn(ctx), { headers });
  } catch (err) {
    return errorResponse(err, headers);
  }
}

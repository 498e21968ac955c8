import { prisma } from "../db";
import { AppError, errorResponse } from "../errors";
import { type ApiPrincipal, verifyApiKey } from "../services/api-keys/verify-api-key";
import { requirePermissions, tenantContext, type Permissions, type TenantContext } from "./membership";

// The API-key variant of the tenancy door, for the /api/v1 route handlers (the CI/CLI API): the
// key's organisation and role give the same context object as a membership (membership.ts), with
// the key as `ctx.actor`. Another organisation's objects answer 404 exactly like missing ones.

export type ApiContext = TenantContext & { keyId: string };

export function apiKeyContext(principal: ApiPrincipal): ApiContext {
  return { ...tenantContext(principal.org, { userId: null, keyId: principal.keyId, label: principal.label, role: principal.role }), keyId: principal.keyId };
}

/** Authenticates the request's API key, checks the permissions, runs `fn`; every error becomes its JSON answer. */
export async function apiRoute(request: Request, permissions: Permissions, fn: (ctx: ApiContext) => Promise<Response>): Promise<Response> {
  try {
    const principal = await verifyApiKey({ db: prisma, authorization: request.headers.get("authorization") });
    if (!principal) throw new AppError("UNAUTHENTICATED", "Missing, unknown or revoked API key. Send `Authorization: Bearer dpl_...` with a key from the organisation's API keys page.");
    const ctx = apiKeyContext(principal);
    requirePermissions(ctx.actor, permissions);
    return await fn(ctx);
  } catch (err) {
    return errorResponse(err);
  }
}

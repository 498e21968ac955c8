import { z } from "zod";
import type { Role } from "../../../generated/prisma/enums";
import type { JobRow } from "../../../lib/jobs/queue";
import { AppError } from "../../../lib/server/errors";
import { can, type Action, type Resource } from "../../../lib/server/permissions";
import { BODY_LIMITS, readBodyText } from "../../../lib/server/read-body";
import { canSeeJobDetails, hiddenJobError } from "../../../lib/server/services/jobs/job-visibility";
import { type ApiPrincipal, verifyApiKey } from "../../../lib/server/services/api-keys/verify-api-key";

// Shared by the /api/v1 route handlers (the CI/CLI API): API-key authentication, the permission
// table, and JSON errors `{ error: { code, message } }`. Another organisation's objects answer 404
// exactly like missing ones.

export type ApiErrorCode = "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND" | "VALIDATION" | "CONFLICT" | "PAYLOAD_TOO_LARGE" | "INTERNAL";
const STATUS: Record<ApiErrorCode, number> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, VALIDATION: 422, CONFLICT: 409, PAYLOAD_TOO_LARGE: 413, INTERNAL: 500 };

export function apiError(code: ApiErrorCode, message: string, details?: Record<string, unknown>): Response {
  return Response.json({ error: { code, message, ...details } }, { status: STATUS[code] });
}

export class ApiRefusal extends Error {
  constructor(readonly response: Response) {
    super("refused");
  }
}

/** The API key's organisation and role, checked against the permission table. Throws ApiRefusal. */
export async function authenticate(request: Request, resource: Resource, action: Action): Promise<ApiPrincipal> {
  const principal = await verifyApiKey({ authorization: request.headers.get("authorization") });
  if (!principal) throw new ApiRefusal(apiError("UNAUTHENTICATED", "Missing, unknown or revoked API key. Send `Authorization: Bearer dpl_...` with a key from the organisation's API keys page."));
  if (!can(principal.role as Role, resource, action)) throw new ApiRefusal(apiError("FORBIDDEN", `This API key's role (${principal.role.toLowerCase()}) cannot do that.`));
  return principal;
}

/** Runs a handler body, turning refusals into their response and anything else into a logged 500. */
export async function handle(fn: () => Promise<Response>): Promise<Response> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ApiRefusal) return err.response;
    const id = crypto.randomUUID().slice(0, 8);
    console.error(`[api error ${id}]`, err instanceof Error ? `${err.name} ${(err as { code?: string }).code ?? ""}` : typeof err);
    return apiError("INTERNAL", `Something went wrong on our side (error id ${id}). Try again.`);
  }
}

/** The body as text, at most `maxBytes` (read-body.ts); larger bodies are refused with 413. */
export async function readBody(request: Request, maxBytes: number = BODY_LIMITS.json): Promise<string> {
  try {
    return await readBodyText(request, maxBytes);
  } catch (err) {
    if (err instanceof AppError && err.code === "PAYLOAD_TOO_LARGE") throw new ApiRefusal(apiError("PAYLOAD_TOO_LARGE", err.message));
    throw err;
  }
}

/** Optional JSON body of at most `maxBytes`: empty means {}. */
export async function readJson<T extends z.ZodType>(request: Request, schema: T, maxBytes: number = BODY_LIMITS.json): Promise<z.infer<T>> {
  const text = await readBody(request, maxBytes);
  let value: unknown = {};
  if (text.trim()) {
    try {
      value = JSON.parse(text);
    } catch {
      throw new ApiRefusal(apiError("VALIDATION", "The request body is not valid JSON."));
    }
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new ApiRefusal(apiError("VALIDATION", "The request body is invalid.", { issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })) }));
  }
  return parsed.data;
}

/**
 * What the API shows of a job (enums in lower case). A connection job's progress, report and
 * error text (server version and user, hosts, scan findings) only for keys whose role may see
 * connections; other keys get its status (job-visibility.ts).
 */
export function runView(job: JobRow, role: Role) {
  const visible = canSeeJobDetails(role, job.kind);
  return {
    jobId: job.id,
    kind: job.kind.toLowerCase(),
    status: job.status.toLowerCase(),
    trigger: job.trigger.toLowerCase(),
    workflowId: job.workflowId,
    workflowVersion: job.workflowVersion,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    cancelRequested: job.cancelRequestedAt !== null,
    createdAt: job.createdAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    progress: visible ? (job.progress ?? null) : null,
    report: visible ? (job.report ?? null) : null,
    error: visible || !job.error ? (job.error ?? null) : hiddenJobError(job.error.code),
  };
}

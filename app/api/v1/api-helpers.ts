import { z } from "zod";
import type { Role } from "../../../generated/prisma/enums";
import type { JobRow } from "../../../lib/jobs/queue";
import { AppError } from "../../../lib/server/errors";
import { BODY_LIMITS, readBodyText } from "../../../lib/server/read-body";
import { canSeeJobDetails, hiddenJobError } from "../../../lib/server/services/jobs/job-visibility";

// Shared by the /api/v1 route handlers (the CI/CLI API): reading bounded JSON bodies and what the
// API shows of a job. Authentication and tenancy: apiRoute (lib/server/tenancy/api-route.ts);
// errors: AppError, answered by errorResponse (lib/server/errors.ts).

/** Optional JSON body of at most `maxBytes` (larger: 413, read-body.ts): empty means {}. */
export async function readJson<T extends z.ZodType>(request: Request, schema: T, maxBytes: number = BODY_LIMITS.json): Promise<z.infer<T>> {
  const text = await readBodyText(request, maxBytes);
  let value: unknown = {};
  if (text.trim()) {
    try {
      value = JSON.parse(text);
    } catch {
      throw new AppError("VALIDATION", "The request body is not valid JSON.");
    }
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new AppError("VALIDATION", "The request body is invalid.", undefined, { issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })) });
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

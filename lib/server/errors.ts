import { randomUUID } from "node:crypto";

// The closed set of error codes the app speaks. Mapped once: to an HTTP status for route
// handlers (httpStatus) and to a form result for server actions (toActionError). Anything
// else is an unexpected error: logged with an id, shown as a generic message.

export const ERROR_CODES = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  VALIDATION: 400,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  GONE: 410,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export type FieldErrors = Record<string, string[] | undefined>;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fieldErrors?: FieldErrors,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export type ActionError = { code: ErrorCode; message: string; fieldErrors?: FieldErrors };
export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: ActionError };

export const httpStatus = (code: ErrorCode) => ERROR_CODES[code];

/** Not found and "belongs to another organisation" must look the same. */
export const notFound = (what = "That item") => new AppError("NOT_FOUND", `${what} was not found.`);

function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === "P2002";
}

export function toActionError(err: unknown): ActionError {
  if (err instanceof AppError) return { code: err.code, message: err.message, fieldErrors: err.fieldErrors };
  if (isUniqueViolation(err)) return { code: "CONFLICT", message: "That already exists. Choose another value." };
  const id = randomUUID().slice(0, 8);
  // Log the error class and message (our own code never puts secrets in messages), never inputs.
  console.error(`[error ${id}]`, err instanceof Error ? (err.stack ?? err.message) : String(err));
  return { code: "INTERNAL", message: `Something went wrong on our side (reference ${id}). Please try again.` };
}

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
  PAYLOAD_TOO_LARGE: 413,
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
  console.error(`[error ${id}]`, describeForLog(err));
  return { code: "INTERNAL", message: `Something went wrong on our side (reference ${id}). Please try again.` };
}

/**
 * What the log gets of an unexpected error: its class, its code and where it was thrown — never
 * its message or full stack. Prisma's messages quote the arguments of the failing call (row
 * values, emails, secrets), and a stack starts with the message; a driver's message can quote
 * row values too. For Prisma errors even the frame is left out (it points into the client).
 */
export function describeForLog(err: unknown): string {
  if (!(err instanceof Error)) return `non-Error thrown (${err === null ? "null" : typeof err})`;
  const code = (err as { code?: unknown }).code;
  const parts = [/^[\w.-]{1,40}$/.test(err.name) ? err.name : "Error"];
  if (typeof code === "string" && /^[A-Za-z0-9_]{1,40}$/.test(code)) parts.push(`code=${code}`);
  if (!err.name.startsWith("PrismaClient")) {
    const frame = err.stack?.split("\n").find((l) => /^\s+at /.test(l));
    if (frame) parts.push(frame.trim());
  }
  return parts.join(" ");
}

import { randomUUID } from "node:crypto";

// The closed set of error codes the app speaks. Mapped once, here: to a form result for server
// actions (toActionError) and to an HTTP status and JSON body for every route handler
// (errorResponse: the browser's poll routes and the /api/v1 API alike). Prisma's "record not
// found" becomes NOT_FOUND, its unique violation CONFLICT, an unreachable app database
// UNAVAILABLE (503); anything else is an unexpected error: logged with an id (describeForLog),
// shown as a generic message. Only "not found" is ever a 404: a failing database is not a
// missing object.

export const ERROR_CODES = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  VALIDATION: 422,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  GONE: 410,
  PAYLOAD_TOO_LARGE: 413,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export type FieldErrors = Record<string, string[] | undefined>;

/** Extra fields of an API error body (e.g. the queued run's `jobId`, the unreviewed columns). */
export type ErrorDetails = Record<string, unknown>;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fieldErrors?: FieldErrors,
    readonly details?: ErrorDetails,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export type ActionError = { code: ErrorCode; message: string; fieldErrors?: FieldErrors; details?: ErrorDetails };
export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: ActionError };

export const httpStatus = (code: ErrorCode) => ERROR_CODES[code];

/** Not found and "belongs to another organisation" must look the same. */
export const notFound = (what = "That item") => new AppError("NOT_FOUND", `${what} was not found.`);

const codeOf = (err: unknown): unknown => (typeof err === "object" && err !== null ? (err as { code?: unknown }).code : undefined);

// Prisma: P1001 can't reach, P1002/P1008 timed out, P1017 connection closed, P2024 pool timeout.
// pg / Node: connection refused or reset, SQLSTATE class 08 (connection), 57P01-03 (shutdown), 53300.
const UNAVAILABLE_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "57P01", "57P02", "57P03", "53300"]);

/** True when the app database could not be reached or dropped the connection (not a bad request). */
export function isDatabaseUnavailable(err: unknown): boolean {
  const code = codeOf(err);
  return typeof code === "string" && (UNAVAILABLE_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code));
}

export function toActionError(err: unknown): ActionError {
  if (err instanceof AppError) return { code: err.code, message: err.message, fieldErrors: err.fieldErrors, ...(err.details ? { details: err.details } : {}) };
  const code = codeOf(err);
  if (code === "P2002") return { code: "CONFLICT", message: "That already exists. Choose another value." };
  if (code === "P2025") return { code: "NOT_FOUND", message: "That item was not found." };
  const id = randomUUID().slice(0, 8);
  console.error(`[error ${id}]`, describeForLog(err));
  if (isDatabaseUnavailable(err)) return { code: "UNAVAILABLE", message: `Doppel's database is not reachable right now (reference ${id}). Please try again in a moment.` };
  return { code: "INTERNAL", message: `Something went wrong on our side (reference ${id}). Please try again.` };
}

/** The JSON answer of a route handler for any error: `{ error: { code, message, ...details } }` with the code's status. */
export function errorResponse(err: unknown, headers?: HeadersInit): Response {
  const e = toActionError(err);
  const fields = e.fieldErrors ? { fieldErrors: e.fieldErrors } : {};
  return Response.json({ error: { code: e.code, message: e.message, ...fields, ...e.details } }, { status: httpStatus(e.code), headers });
}

/**
 * What a log gets of an error — the one redaction rule for the web app's and the worker's logs
 * (lib/jobs/errors.ts re-exports it): its class, its code (SQLSTATE, errno, Prisma's P-code) and
 * where it was thrown (up to 6 stack frames) — never its message or the stack's first line.
 * Prisma's messages quote the arguments of the failing call (row values, emails, secrets), a
 * driver's message can quote row values, and a stack starts with the message. For Prisma errors
 * even the frames are left out (they point into the client).
 */
export function describeForLog(err: unknown): string {
  if (!(err instanceof Error)) return `non-Error thrown (${err === null ? "null" : typeof err})`;
  const code = (err as { code?: unknown }).code;
  const parts = [/^[\w.-]{1,40}$/.test(err.name) ? err.name : "Error"];
  if ((typeof code === "string" || typeof code === "number") && /^[A-Za-z0-9_]{1,40}$/.test(String(code))) parts.push(`code=${code}`);
  if (!err.name.startsWith("PrismaClient")) {
    const frames = (err.stack ?? "").split("\n").filter((l) => /^\s+at /.test(l)).slice(0, 6).map((l) => l.trim());
    if (frames.length) parts.push(frames.join(" | "));
  }
  return parts.join(" ");
}

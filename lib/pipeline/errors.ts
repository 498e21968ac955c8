import { EGRESS_REFUSED_MESSAGE } from "../egress/policy";
import type { EngineErrorCode } from "./types";

// Errors the engine raises: a closed code, a message in plain words that names tables and
// columns (never row values, never secrets) and a hint saying what to do.

export class EngineError extends Error {
  readonly code: EngineErrorCode;
  readonly hint: string;
  constructor(code: EngineErrorCode, message: string, hint = "", options?: { cause?: unknown }) {
    super(message, options);
    this.name = "EngineError";
    this.code = code;
    this.hint = hint;
  }
}

/** A run cancelled before its swap committed (the task pool, a query or a step between phases noticed). */
export function runCanceled(cause?: unknown): EngineError {
  return new EngineError("CANCELED", "The run was cancelled; the target was left as it was.", "", cause === undefined ? undefined : { cause });
}

/**
 * Whose session failed, for the messages: a run's "source" or "target", or "test" for a connection
 * tested on its own (from its form or page), where it has no role yet: "the PostgreSQL server".
 */
export type Side = "source" | "target" | "test";

/** The noun before "server", "database", "user" in the messages. */
const ROLE_WORDS: Record<Side, string> = { source: "source", target: "target", test: "PostgreSQL" };

type PgLikeError = Error & { code?: string; errno?: number; syscall?: string; table?: string; column?: string; constraint?: string; schema?: string };

const SIDE_CODES = {
  source: { unreachable: "SOURCE_UNREACHABLE", auth: "SOURCE_AUTH_FAILED", missing: "SOURCE_DATABASE_MISSING" },
  target: { unreachable: "TARGET_UNREACHABLE", auth: "TARGET_AUTH_FAILED", missing: "TARGET_DATABASE_MISSING" },
  // A tested connection is read like a source (read-only session): its codes are the source's.
  test: { unreachable: "SOURCE_UNREACHABLE", auth: "SOURCE_AUTH_FAILED", missing: "SOURCE_DATABASE_MISSING" },
} as const satisfies Record<Side, Record<string, EngineErrorCode>>;

/**
 * Turns a driver/network error into an EngineError. Driver messages can quote row values
 * (e.g. "Key (email)=(x@y) already exists"), so they are never passed through: only the SQLSTATE
 * and the names of the objects involved are used.
 */
export function classifyPgError(err: unknown, side: Side, context = ""): EngineError {
  if (err instanceof EngineError) return err;
  const role = ROLE_WORDS[side];
  const e = (err ?? {}) as PgLikeError;
  const where = context ? ` (${context})` : "";
  const codes = SIDE_CODES[side];
  const sys = e.code ?? "";
  if (e.name === "AbortError" || sys === "ABORT_ERR") return new EngineError("CANCELED", "The run was cancelled.", "", { cause: err });
  if (sys === "EGRESS_REFUSED") return egressRefused(err);
  if (context === "connecting") return classifyConnectError(e, side);
  if (["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "ECONNRESET"].includes(sys)) {
    return new EngineError(codes.unreachable, `The ${role === "PostgreSQL" ? "PostgreSQL" : `${role} database`} server cannot be reached${where}.`,
      "Check the host name and port, and that the server accepts connections from this machine (firewall, listen_addresses).", { cause: err });
  }
  if (sys === "ETIMEDOUT" || /timeout/i.test(e.message ?? "") && !sys) {
    return new EngineError(codes.unreachable, `Connecting to the ${role} database timed out${where}.`,
      "Check the host and port, and that a firewall is not dropping the connection.", { cause: err });
  }
  if (/does not support SSL|server does not support ssl/i.test(e.message ?? "")) {
    return new EngineError("TLS_REQUIRED", `The ${role} server does not accept TLS connections${where}.`,
      "Set the TLS mode to \"disable\" for this connection, or enable SSL on the server.", { cause: err });
  }
  if (/self[- ]signed|certificate|unable to verify/i.test(e.message ?? "") && !/^[0-9A-Z]{5}$/.test(sys)) {
    return new EngineError("TLS_REQUIRED", `The ${role} server's TLS certificate could not be verified${where}.`,
      "Paste the server's CA certificate into the connection, or use TLS mode \"require\".", { cause: err });
  }
  if (side === "target" && NAMES_ONLY.has(sys)) {
    const statement = (err as { doppelStatement?: string }).doppelStatement;
    const missing = ["42704", "3F000", "42883", "42P01", "42703"].includes(sys);
    const exists = ["42P07", "42710", "42P06"].includes(sys);
    return new EngineError("TARGET_DDL_FAILED",
      `The target database refused a statement${where}${statement ? ` (${statement})` : ""}: ${e.message}.`,
      missing ? "The target lacks something this definition uses: an object outside the cloned schemas, of an extension, or of a kind Doppel does not copy. Create it on the target (or select the tables it belongs to) and run again; the previous target is unchanged."
        : exists ? "An object of this name already exists on the target outside the schemas the clone replaces. Drop or rename it on the target and run again; the previous target is unchanged."
          : "The target server cannot recreate this definition (an older version may lack the feature). Use a target of the source's PostgreSQL version, or leave the object out; the previous target is unchanged.",
      { cause: err });
  }
  switch (sys) {
    case "28P01":
    case "28000":
      if (/no pg_hba\.conf entry.*(no encryption|SSL off)/i.test(e.message ?? "")) {
        return new EngineError("TLS_REQUIRED", `The ${role} server requires an encrypted (TLS) connection${where}.`,
          "Set the TLS mode of this connection to \"require\" or \"verify-full\".", { cause: err });
      }
      return new EngineError(codes.auth, `The ${role} server refused the user name or password${where}.`,
        "Check the user name and password of the connection.", { cause: err });
    case "3D000":
      return new EngineError(codes.missing, `The ${role} database does not exist${where}.`,
        "Check the database name of the connection (names are case-sensitive).", { cause: err });
    case "42501":
      return new EngineError("PERMISSION_DENIED", `The ${role} user lacks a permission it needs${where}${e.table ? ` on table ${e.table}` : ""}.`,
        side === "source" ? "Grant the user SELECT on the selected tables and USAGE on their schemas." : "Use a target user that owns the target database or can create schemas in it.", { cause: err });
    case "42P01":
      return new EngineError("TABLE_MISSING", `A table is missing on the ${role}${where}.`,
        "Refresh the workflow's table list: the table may have been dropped or renamed.", { cause: err });
    case "57014":
      return new EngineError("INTERNAL", `A statement on the ${role} was cancelled by its statement timeout${where}.`,
        "Raise the statement timeout in the workflow options.", { cause: err });
    case "55P03":
      if (side === "source") {
        return new EngineError("SOURCE_BUSY", `A source table is locked by another session (a schema change or an explicit LOCK)${where}, and the run stopped waiting for it.`,
          "Nothing was written to the target. Run the workflow again once the schema change on the source has finished.", { cause: err });
      }
      return new EngineError("TARGET_BUSY", `A target object is locked by another session${where}.`,
        "Run the workflow again when the other session has finished (see pg_locks on the target).", { cause: err });
    case "57P03":
      return new EngineError(codes.unreachable, `The ${role} database is not accepting connections (starting up, shutting down or in recovery)${where}.`,
        "Run the workflow again in a moment; it is retried automatically.", { cause: err });
    case "53300":
      return new EngineError(codes.unreachable, `The ${role} server has no free connection slots${where}.`,
        "Lower the workflow's parallelism or raise max_connections on the server.", { cause: err });
  }
  if (/^(22|23)/.test(sys) && side === "target") {
    const what = [e.table && `table ${e.table}`, e.column && `column ${e.column}`, e.constraint && `constraint ${e.constraint}`].filter(Boolean).join(", ");
    return new EngineError("TARGET_REJECTED_ROW", `The target rejected a row${what ? ` (${what})` : ""}${where}: ${describeSqlState(sys)}.`,
      "The target's previous data is unchanged. Check that the redaction rules keep values within the column's type, length and constraints.", { cause: err });
  }
  if (sys === "57P01" || sys === "57P02" || /Connection terminated/i.test(e.message ?? "")) {
    return new EngineError(codes.unreachable, `The connection to the ${role} database was closed${where}.`,
      "The server may have restarted; run the workflow again.", { cause: err });
  }
  return new EngineError("INTERNAL", `Unexpected ${role} database error${sys ? ` (SQLSTATE ${sys})` : ""}${where}.`,
    "Run the workflow again; if it keeps failing, contact support with the job id.", { cause: err });
}

export function egressRefused(cause: unknown): EngineError {
  return new EngineError("EGRESS_REFUSED", EGRESS_REFUSED_MESSAGE, "", { cause });
}

/**
 * A failed connection attempt says one of three things, whatever listens on the port: the server
 * cannot be reached (closed port, timeout, an HTTP or other non-PostgreSQL answer, a dropped
 * connection), it refused the sign-in, or TLS failed. Anything finer would make "Test connection"
 * a port scanner. The database-missing and permission answers come only after a successful sign-in.
 */
function classifyConnectError(e: PgLikeError, side: Side): EngineError {
  const codes = SIDE_CODES[side];
  const role = ROLE_WORDS[side];
  const sys = e.code ?? "";
  const msg = e.message ?? "";
  const where = " (connecting)";
  const tls = /does not support SSL|server does not support ssl|self[- ]signed|certificate|unable to verify/i.test(msg) && !/^[0-9A-Z]{5}$/.test(sys)
    || /CERT|SIGNATURE|ERR_TLS/.test(sys)
    || (sys === "28000" && /no pg_hba\.conf entry.*(no encryption|SSL off)/i.test(msg));
  if (tls) {
    return new EngineError("TLS_REQUIRED", `The TLS connection to the ${role} server failed${where}.`,
      "Check the connection's TLS mode: \"disable\" for a server without TLS, \"require\" or \"verify-full\" (with the server's CA certificate) for one that requires it.", { cause: e });
  }
  if (sys === "28P01" || sys === "28000" || /^SASL:/.test(msg)) {
    return new EngineError(codes.auth, `The ${role} server refused the user name or password${where}.`, "Check the user name and password of the connection.", { cause: e });
  }
  if (sys === "3D000") {
    return new EngineError(codes.missing, `The ${role} database does not exist${where}.`, "Check the database name of the connection (names are case-sensitive).", { cause: e });
  }
  if (sys === "42501") {
    return new EngineError("PERMISSION_DENIED", `The ${role} user may not connect to the database${where}.`, "Grant the user CONNECT on the database.", { cause: e });
  }
  return new EngineError(codes.unreachable, `The ${role === "PostgreSQL" ? "PostgreSQL" : `${role} database`} server cannot be reached${where}.`,
    "Check the host name and port, and that the server accepts connections from this machine (firewall, listen_addresses).", { cause: e });
}

// SQLSTATEs whose messages name objects and types only, never row values (unlike 22xxx/23xxx,
// whose messages can quote a value): missing or duplicate objects, definitions the server refuses.
const NAMES_ONLY = new Set([
  "42704", "3F000", "42883", "42P01", "42703", "42P07", "42710", "42P06", "42846", "42809", "42830", "42P16", "42P17",
  "42611", "42P13", "42804", "42725", "42702", "42P18", "0A000", "2BP01",
]);

/** Attaches the head of the statement that failed (`CREATE TABLE public.users`, no definition text) for the error message. */
export function withStatement(err: unknown, statement: string): unknown {
  if (err && typeof err === "object" && !(err instanceof EngineError)) Object.assign(err, { doppelStatement: statement });
  return err;
}

function describeSqlState(code: string): string {
  const known: Record<string, string> = {
    "23505": "a unique constraint was violated",
    "23503": "a foreign key has no matching row",
    "23502": "a NOT NULL column received NULL",
    "23514": "a check constraint failed",
    "22001": "a value is too long for its column",
    "22P02": "a value does not have the column's format",
    "22003": "a number is out of range for its column",
    "22007": "a date/time value has an invalid format",
    "22008": "a date/time value is out of range",
  };
  return known[code] ?? `SQLSTATE ${code}`;
}

export function isAbort(err: unknown): boolean {
  return err instanceof EngineError ? err.code === "CANCELED" : (err as Error)?.name === "AbortError";
}

import { EGRESS_REFUSED_MESSAGE } from "../egress/policy";
import { decryptSecret } from "../server/crypto";
import { type TPgConnection, type TS3Connection, ZPgConnection, ZS3Connection } from "../schemas/connection";
import { formatIssues } from "../schemas/workflow";
import type { Queryable } from "./db";
import { JobFailure } from "./errors";
import { SQL } from "./queue-sql";

// The one place a stored connection is loaded for use: of the job's organisation only (tenancy in
// the query: another organisation's connection looks missing), its secret decrypted, parsed by the
// shared schema. Every problem is a permanent JobFailure in plain words (names, never values).

export type ConnectionKind = "POSTGRES" | "S3";
export type LoadedConnection = { id: string; name: string } & ({ kind: "POSTGRES"; pg: TPgConnection } | { kind: "S3"; s3: TS3Connection });

export type LoadConnectionOptions<K extends ConnectionKind> = {
  /** The kind the caller needs; another kind is refused. */
  kind?: K;
  /** Names the connection in messages: "source" -> "The source connection ...". */
  role?: string;
  /** Job error code for a missing, wrong or incomplete connection. */
  code?: "INVALID_INPUT" | "INVALID_DEFINITION";
  /** What to do when the connection is missing or of the wrong kind. */
  hint?: string;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KIND_WORDS: Record<ConnectionKind, string> = { POSTGRES: "a PostgreSQL", S3: "an S3" };

export async function loadConnection<K extends ConnectionKind = ConnectionKind>(
  db: Queryable,
  orgId: string,
  connectionId: string,
  opts: LoadConnectionOptions<K> = {},
): Promise<Extract<LoadedConnection, { kind: K }>> {
  const code = opts.code ?? "INVALID_INPUT";
  const what = opts.role ? `${opts.role} connection` : "connection";
  const hint = opts.hint ?? "It may have been deleted; choose another connection.";
  // A malformed id is a missing connection (the uuid cast would fail the query).
  const { rows } = UUID.test(connectionId)
    ? await db.query<{ name: string; kind: ConnectionKind; config: Record<string, unknown>; secret_enc: string | null }>(
        `SELECT name, kind::text AS kind, config, secret_enc FROM connections WHERE id = $1::uuid AND org_id = $2::uuid`,
        [connectionId, orgId],
      )
    : { rows: [] };
  const c = rows[0];
  if (!c) throw new JobFailure(code, `The ${what} no longer exists.`, hint);
  if (opts.kind && c.kind !== opts.kind) throw new JobFailure(code, `The ${what} "${c.name}" is not ${KIND_WORDS[opts.kind]} connection.`, hint);
  let secret: string;
  try {
    secret = c.secret_enc ? decryptSecret(c.secret_enc) : "";
  } catch {
    throw new JobFailure("SECRET_UNREADABLE", `The secret of connection "${c.name}" cannot be decrypted.`,
      "The worker needs the same DOPPEL_SECRET_KEY (and older key versions) as the web app. Or re-enter the secret on the connection.");
  }
  return parseLoaded({ id: connectionId, name: c.name, kind: c.kind, config: c.config, secret, what: `${what} "${c.name}"`, code }) as Extract<LoadedConnection, { kind: K }>;
}

/**
 * The settings of a connection tested from its form, before it is saved (a TEST_CONNECTION job
 * without a connection: see startSettingsTest). The job's input holds the parsed config and the
 * secret encrypted; the secret is taken out of the row here (queue-sql.ts takeInputSecret), and
 * the config is parsed by the same schema, so the egress policy judges it as for a saved one.
 */
export async function loadTestedSettings(db: Queryable, job: { id: string; claimToken: string; input: Record<string, unknown> }): Promise<LoadedConnection> {
  const unsaved = job.input.unsaved as { kind?: unknown; config?: unknown } | undefined;
  const kind = unsaved?.kind === "POSTGRES" || unsaved?.kind === "S3" ? unsaved.kind : null;
  if (!kind || !unsaved?.config || typeof unsaved.config !== "object") throw new JobFailure("INVALID_INPUT", "This test has no connection settings.", "Test the connection from its form again.");
  const { rows } = await db.query<{ secret_enc: string | null }>(SQL.takeInputSecret, [job.id, job.claimToken]);
  if (!rows[0]) throw new JobFailure("CLAIM_LOST", "This worker no longer owns the job.");
  let secret: string;
  try {
    secret = rows[0].secret_enc ? decryptSecret(rows[0].secret_enc) : "";
  } catch {
    throw new JobFailure("SECRET_UNREADABLE", "The secret entered in the form cannot be decrypted.", "The worker needs the same DOPPEL_SECRET_KEY as the web app.");
  }
  return parseLoaded({ id: "", name: "", kind, config: unsaved.config as Record<string, unknown>, secret, what: "connection", code: "INVALID_INPUT" });
}

function parseLoaded(c: { id: string; name: string; kind: ConnectionKind; config: Record<string, unknown>; secret: string; what: string; code: "INVALID_INPUT" | "INVALID_DEFINITION" }): LoadedConnection {
  const parsed = c.kind === "POSTGRES" ? ZPgConnection.safeParse({ ...c.config, password: c.secret }) : ZS3Connection.safeParse({ ...c.config, secretAccessKey: c.secret });
  // Saved before the policy (or the allow-list changed since): the one refusal message, not "incomplete".
  if (!parsed.success && parsed.error.issues.some((i) => i.message === EGRESS_REFUSED_MESSAGE)) {
    throw new JobFailure("EGRESS_REFUSED", `The ${c.what}: ${EGRESS_REFUSED_MESSAGE}`, "Open the connection and point it at another host, or ask the operator to allow it.");
  }
  if (!parsed.success) throw new JobFailure(c.code, `The ${c.what} is incomplete: ${formatIssues(parsed.error).join("; ")}.`, "Open the connection, fix it and save.");
  return c.kind === "POSTGRES"
    ? { id: c.id, name: c.name, kind: "POSTGRES", pg: parsed.data as TPgConnection }
    : { id: c.id, name: c.name, kind: "S3", s3: parsed.data as TS3Connection };
}

import { decryptSecret } from "../server/crypto";
import { type TPgConnection, type TS3Connection, ZPgConnection, ZS3Connection } from "../schemas/connection";
import type { Queryable } from "./db";
import { JobFailure } from "./errors";

// A stored connection of the job's organisation (tenancy in the query: another organisation's
// connection looks missing), with its secret decrypted, parsed by the shared schema.

export type LoadedConnection = { id: string; name: string } & ({ kind: "POSTGRES"; pg: TPgConnection } | { kind: "S3"; s3: TS3Connection });

export async function loadConnection(db: Queryable, orgId: string, connectionId: string): Promise<LoadedConnection> {
  const { rows } = await db.query<{ name: string; kind: "POSTGRES" | "S3"; config: Record<string, unknown>; secret_enc: string | null }>(
    `SELECT name, kind::text AS kind, config, secret_enc FROM connections WHERE id::text = $1 AND org_id = $2::uuid`,
    [connectionId, orgId],
  );
  const c = rows[0];
  if (!c) throw new JobFailure("INVALID_INPUT", "The connection no longer exists.", "It may have been deleted; choose another connection.");
  let secret: string;
  try {
    secret = c.secret_enc ? decryptSecret(c.secret_enc) : "";
  } catch {
    throw new JobFailure("SECRET_UNREADABLE", `The secret of connection "${c.name}" cannot be decrypted.`,
      "The worker needs the same DOPPEL_SECRET_KEY (and older key versions) as the web app. Or re-enter the secret on the connection.");
  }
  const incomplete = () => new JobFailure("INVALID_INPUT", `The connection "${c.name}" is incomplete.`, "Open the connection, fix it and save.");
  if (c.kind === "POSTGRES") {
    const r = ZPgConnection.safeParse({ ...c.config, password: secret });
    if (!r.success) throw incomplete();
    return { id: connectionId, name: c.name, kind: "POSTGRES", pg: r.data };
  }
  const r = ZS3Connection.safeParse({ ...c.config, secretAccessKey: secret });
  if (!r.success) throw incomplete();
  return { id: connectionId, name: c.name, kind: "S3", s3: r.data };
}

import { decryptSecret } from "../server/crypto";
import { ZPgConnection, ZS3Connection, type TPgConnection, type TS3Connection } from "../schemas/connection";
import { formatIssues, type TWorkflowDefinition, ZWorkflowConfig, ZWorkflowDefinition } from "../schemas/workflow";
import type { Queryable } from "./db";
import { JobFailure } from "./errors";

// A stored workflow version (ZWorkflowConfig: connections by id, no secrets) becomes the engine's
// ZWorkflowDefinition: connections of the SAME organisation loaded and their secrets decrypted,
// the organisation's hash salt added. Every problem is a permanent JobFailure in plain words.

export type CustomizationValues = Record<string, string | number | boolean | null>;

export type ResolvedRun = {
  definition: TWorkflowDefinition;
  customizationValues: CustomizationValues;
  migrationDryRun: boolean;
};

const invalid = (message: string, hint = "Open the workflow, fix it and save a new version.") => new JobFailure("INVALID_DEFINITION", message, hint);

type ConnRow = { id: string; kind: "POSTGRES" | "S3"; name: string; config: Record<string, unknown>; secret_enc: string | null };

function decrypt(conn: ConnRow): string {
  if (!conn.secret_enc) return "";
  try {
    return decryptSecret(conn.secret_enc);
  } catch {
    throw new JobFailure("SECRET_UNREADABLE", `The secret of connection "${conn.name}" cannot be decrypted.`,
      "The worker needs the same DOPPEL_SECRET_KEY (and older key versions) as the web app. Or re-enter the secret on the connection.");
  }
}

export async function resolveDefinition(db: Queryable, opts: { orgId: string; workflowId: string; version: number | null; runValues?: CustomizationValues }): Promise<ResolvedRun> {
  const { rows } = await db.query<{ config: unknown; customization_values: CustomizationValues; migration_dry_run: boolean; hash_salt_enc: string }>(
    `SELECT v.config, w.customization_values, w.migration_dry_run, o.hash_salt_enc
       FROM workflows w
       JOIN organizations o ON o.id = w.org_id
       JOIN workflow_versions v ON v.workflow_id = w.id AND v.version = COALESCE($3::int, w.current_version)
      WHERE w.id = $1::uuid AND w.org_id = $2::uuid`,
    [opts.workflowId, opts.orgId, opts.version],
  );
  const row = rows[0];
  if (!row) throw invalid("The workflow or the version this run was started with no longer exists.", "Run the workflow again.");
  const parsed = ZWorkflowConfig.safeParse(row.config);
  if (!parsed.success) throw invalid(`The workflow's configuration is invalid: ${formatIssues(parsed.error).slice(0, 5).join("; ")}.`);
  const config = parsed.data;

  const ids = [config.sourceConnectionId, config.outputs.target?.connectionId, config.outputs.s3?.connectionId].filter((x): x is string => !!x);
  const { rows: conns } = await db.query<ConnRow>(
    `SELECT id, kind::text AS kind, name, config, secret_enc FROM connections WHERE org_id = $1::uuid AND id = ANY($2::uuid[])`,
    [opts.orgId, ids],
  );
  const byId = new Map(conns.map((c) => [c.id, c]));
  const pgConn = (id: string, role: string): TPgConnection => {
    const c = byId.get(id);
    if (!c) throw invalid(`The ${role} connection of this workflow no longer exists.`, "Open the workflow and choose another connection.");
    if (c.kind !== "POSTGRES") throw invalid(`The ${role} connection "${c.name}" is not a PostgreSQL connection.`);
    const r = ZPgConnection.safeParse({ ...c.config, password: decrypt(c) });
    if (!r.success) throw invalid(`The ${role} connection "${c.name}" is incomplete: ${formatIssues(r.error).join("; ")}.`, "Open the connection, fix it and save.");
    return r.data;
  };
  const s3Conn = (id: string): TS3Connection => {
    const c = byId.get(id);
    if (!c) throw invalid("The S3 connection of this workflow no longer exists.", "Open the workflow and choose another connection.");
    if (c.kind !== "S3") throw invalid(`The connection "${c.name}" is not an S3 connection.`);
    const r = ZS3Connection.safeParse({ ...c.config, secretAccessKey: decrypt(c) });
    if (!r.success) throw invalid(`The S3 connection "${c.name}" is incomplete: ${formatIssues(r.error).join("; ")}.`, "Open the connection, fix it and save.");
    return r.data;
  };

  let hashSalt: string;
  try {
    hashSalt = decryptSecret(row.hash_salt_enc);
  } catch {
    throw new JobFailure("SECRET_UNREADABLE", "The organisation's hashing salt cannot be decrypted.", "The worker needs the same DOPPEL_SECRET_KEY as the web app.");
  }

  const definition = ZWorkflowDefinition.safeParse({
    version: config.version,
    source: pgConn(config.sourceConnectionId, "source"),
    tables: config.tables,
    customizations: config.customizations,
    options: config.options,
    outputs: {
      ...(config.outputs.target ? { target: { connection: pgConn(config.outputs.target.connectionId, "target"), keepOwnership: config.outputs.target.keepOwnership } } : {}),
      ...(config.outputs.s3 ? { s3: { connection: s3Conn(config.outputs.s3.connectionId), prefix: config.outputs.s3.prefix } } : {}),
    },
    hashSalt,
  });
  if (!definition.success) throw invalid(`The workflow's configuration is invalid: ${formatIssues(definition.error).slice(0, 5).join("; ")}.`);
  return {
    definition: definition.data,
    customizationValues: { ...(row.customization_values ?? {}), ...(opts.runValues ?? {}) },
    migrationDryRun: row.migration_dry_run,
  };
}

import { decryptSecret } from "../server/crypto";
import { formatIssues, type TWorkflowDefinition, ZWorkflowConfig, ZWorkflowDefinition } from "../schemas/workflow";
import type { Queryable } from "./db";
import { draftRefusal } from "./draft-refusal";
import { JobFailure } from "./errors";
import { loadConnection } from "./load-connection";

// A stored workflow version (ZWorkflowConfig: connections by id, no secrets) becomes the engine's
// ZWorkflowDefinition: connections of the SAME organisation loaded (loadConnection),
// the organisation's hash salt added. Every problem is a permanent JobFailure in plain words.
// Privacy by default: a draft version is refused (draft-refusal.ts); otherwise the definition
// gets the organisation's review policy (stop on, or NULL, columns nobody has reviewed) and each
// table's reviewed columns: its rules (in the engine) plus the columns known when the version was
// saved, so a column added to the source since then is caught on the run's own snapshot.

export type CustomizationValues = Record<string, string | number | boolean | null>;

export type ResolvedRun = {
  definition: TWorkflowDefinition;
  customizationValues: CustomizationValues;
  migrationDryRun: boolean;
};

const invalid = (message: string, hint = "Open the workflow, fix it and save a new version.") => new JobFailure("INVALID_DEFINITION", message, hint);

export async function resolveDefinition(db: Queryable, opts: { orgId: string; workflowId: string; version: number | null; runValues?: CustomizationValues }): Promise<ResolvedRun> {
  const { rows } = await db.query<{ config: unknown; version: number; draft: boolean; customization_values: CustomizationValues; migration_dry_run: boolean; hash_salt_enc: string; unreviewed_columns: "FAIL" | "NULL" }>(
    `SELECT v.config, v.version, v.draft, w.customization_values, w.migration_dry_run, o.hash_salt_enc, o.unreviewed_columns
       FROM workflows w
       JOIN organizations o ON o.id = w.org_id
       JOIN workflow_versions v ON v.workflow_id = w.id AND v.version = COALESCE($3::int, w.current_version)
      WHERE w.id = $1::uuid AND w.org_id = $2::uuid`,
    [opts.workflowId, opts.orgId, opts.version],
  );
  const row = rows[0];
  if (!row) throw invalid("The workflow or the version this run was started with no longer exists.", "Run the workflow again.");
  if (row.draft) throw await draftRefusal(db, { orgId: opts.orgId, version: row.version, config: row.config });
  const parsed = ZWorkflowConfig.safeParse(row.config);
  if (!parsed.success) throw invalid(`The workflow's configuration is invalid: ${formatIssues(parsed.error).slice(0, 5).join("; ")}.`);
  const config = parsed.data;

  const load = <K extends "POSTGRES" | "S3">(id: string, kind: K, role: string) =>
    loadConnection(db, opts.orgId, id, { kind, role, code: "INVALID_DEFINITION", hint: "Open the workflow and choose another connection." });
  const source = await load(config.sourceConnectionId, "POSTGRES", "source");
  const target = config.outputs.target && (await load(config.outputs.target.connectionId, "POSTGRES", "target"));
  const s3 = config.outputs.s3 && (await load(config.outputs.s3.connectionId, "S3", "S3"));

  let hashSalt: string;
  try {
    hashSalt = decryptSecret(row.hash_salt_enc);
  } catch {
    throw new JobFailure("SECRET_UNREADABLE", "The organisation's hashing salt cannot be decrypted.", "The worker needs the same DOPPEL_SECRET_KEY as the web app.");
  }

  const definition = ZWorkflowDefinition.safeParse({
    version: config.version,
    source: source.pg,
    tables: config.tables.map(({ knownColumns, ...t }) => ({ ...t, reviewedColumns: knownColumns })),
    review: { unreviewed: row.unreviewed_columns === "NULL" ? "null" : "fail" },
    customizations: config.customizations,
    options: config.options,
    outputs: {
      ...(config.outputs.target && target ? { target: { connection: target.pg, keepOwnership: config.outputs.target.keepOwnership, ...(config.outputs.target.delta ? { delta: config.outputs.target.delta } : {}) } } : {}),
      ...(config.outputs.s3 && s3 ? { s3: { connection: s3.s3, prefix: config.outputs.s3.prefix } } : {}),
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

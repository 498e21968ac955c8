import type { SourceIntrospection } from "../../../pipeline/introspect";
import { unreviewedColumns, type UnreviewedTable } from "../../../redaction/review";
import { validateAgainstCatalog } from "../../../pipeline/validate-definition";
import type { TWorkflowConfig } from "../../../schemas/workflow";
import { recordAudit, type AuditAction, type AuditEntry } from "../../audit";
import type { Db } from "../../db";
import { AppError } from "../../errors";
import type { OrgActor } from "../../tenancy/membership";
import { fieldKey } from "./field-keys";
import { catalogOf, findTable, readIntrospection } from "./source-catalog";

// The one way a workflow version is saved: the editor's save, a customization and a scanner's
// suggested rule all come here, so every version is checked the same way before it is stored:
// its connections belong to the organisation and are of the right kind (target ≠ source), and it
// fits the source's cached catalog when there is one. Then, in the caller's transaction: version
// n+1 inserted, Workflow.currentVersion bumped conditional on n (two people saving at once cannot
// overwrite each other silently), audit entry.
// Each table records the source columns known at save time (knownColumns, from the cached
// introspection) so that the workflow page can show columns added since (scans/get-drift.ts).
// A version with columns nobody has reviewed (lib/redaction/review.ts, against the cached
// introspection) is saved as a draft, which never runs. The editor's save reviews columns by
// rules alone (keep included); a change made elsewhere (a customization, a suggested rule) on a
// version that was not a draft also counts its known columns as reviewed, as its runs do.

export type ConfigErrors = Record<string, string[]>;

export function addError(errors: ConfigErrors, key: string, message: string) {
  const list = (errors[key] ??= []);
  if (!list.includes(message)) list.push(message);
}

/** Workflow columns saved along with the version (the editor's name and schedule). */
export type WorkflowFields = { name?: string; cron?: string | null; scheduleEnabled?: boolean; migrationDryRun?: boolean; lastTickAt?: Date };

export type CreateWorkflowVersionOptions = {
  orgId: string;
  /** null: a new workflow, created here (then `fields.name` is required and baseVersion is 0). */
  workflowId: string | null;
  /** The version the change was made on. */
  baseVersion: number;
  config: TWorkflowConfig;
  actor: OrgActor;
  fields?: WorkflowFields;
  /** The caller's own form errors, reported together with the config's (the editor highlights them all). */
  formErrors?: ConfigErrors;
  audit: { action: AuditAction; target: string; details?: AuditEntry["details"] };
  /**
   * Keep the known columns a table already records (changes made outside the editor: a
   * suggested rule or a customization must not acknowledge new columns nobody has looked at).
   * Default: the editor's save, where the user sees every column, records the current ones.
   */
  keepKnownColumns?: boolean;
};

/** Problems of the config within the organisation, keyed to the field at fault (field-keys.ts). */
export async function workflowConfigProblems(db: Db, orgId: string, config: TWorkflowConfig): Promise<ConfigErrors> {
  const errors: ConfigErrors = {};
  const ids = [config.sourceConnectionId, config.outputs.target?.connectionId, config.outputs.s3?.connectionId].filter((x): x is string => !!x);
  const conns = await db.connection.findMany({ where: { orgId, id: { in: ids } }, select: { id: true, kind: true, introspection: true } });
  const byId = new Map(conns.map((c) => [c.id, c]));
  const expectKind = (id: string | undefined, kind: "POSTGRES" | "S3", key: string, what: string) => {
    if (!id) return;
    const c = byId.get(id);
    if (!c) addError(errors, key, `Choose ${what}: that connection no longer exists.`);
    else if (c.kind !== kind) addError(errors, key, `Choose ${what}.`);
  };
  expectKind(config.sourceConnectionId, "POSTGRES", "sourceConnectionId", "a PostgreSQL source");
  expectKind(config.outputs.target?.connectionId, "POSTGRES", "outputs/target/connectionId", "a PostgreSQL target");
  expectKind(config.outputs.s3?.connectionId, "S3", "outputs/s3/connectionId", "an S3 connection");
  if (config.outputs.target?.connectionId === config.sourceConnectionId) {
    addError(errors, "outputs/target/connectionId", "The target must be another database than the source: the twin replaces the target's tables.");
  }
  const intro = readIntrospection(byId.get(config.sourceConnectionId)?.introspection ?? null);
  if (intro) for (const p of validateAgainstCatalog(config, catalogOf(intro))) addError(errors, fieldKey(p.path, config.tables), p.message);
  return errors;
}

export type SavedVersion = {
  id: string;
  version: number;
  /** Saved with unreviewed columns: it cannot run until they are reviewed. */
  draft: boolean;
  /** The columns nobody has reviewed, per table (empty when not a draft). */
  unreviewed: UnreviewedTable[];
};

export async function createWorkflowVersion(tx: Db, opts: CreateWorkflowVersionOptions): Promise<SavedVersion> {
  const { orgId, config, actor, fields = {} } = opts;
  const errors: ConfigErrors = { ...opts.formErrors };
  for (const [key, messages] of Object.entries(await workflowConfigProblems(tx, orgId, config))) for (const m of messages) addError(errors, key, m);
  const problems = Object.values(errors).flat();
  if (problems.length > 0) {
    // A form shows the messages at its fields; other callers (customizations, scan results) show only the message.
    throw new AppError("VALIDATION", opts.formErrors ? "Please correct the highlighted fields." : `The workflow would not be valid: ${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more problem(s); open the workflow editor to see them)` : ""}`, errors);
  }

  const source = await tx.connection.findFirst({ where: { id: config.sourceConnectionId, orgId }, select: { introspection: true } });
  const intro = readIntrospection(source?.introspection ?? null);
  const keepKnown = opts.keepKnownColumns ?? false;
  const stored = withKnownColumns(config, intro, keepKnown);
  const baseDraft = opts.workflowId === null ? false : (await tx.workflowVersion.findFirst({
    where: { workflowId: opts.workflowId, version: opts.baseVersion, workflow: { orgId } }, select: { draft: true },
  }))?.draft ?? false;
  const unreviewed = intro
    ? unreviewedColumns(stored.tables.map((t) => ({ ...t, reviewedColumns: keepKnown && !baseDraft ? t.knownColumns : undefined })), intro.tables)
    : [];
  // Without a cached table list nothing can be checked here; the run checks its own snapshot.
  const draft = intro ? unreviewed.length > 0 : baseDraft;

  const version = opts.baseVersion + 1;
  let id: string;
  if (opts.workflowId === null) {
    if (!fields.name || opts.baseVersion !== 0) throw new Error("createWorkflowVersion: a new workflow needs a name and base version 0");
    id = (await tx.workflow.create({ data: { ...fields, name: fields.name, orgId, currentVersion: version }, select: { id: true } })).id;
  } else {
    id = opts.workflowId;
    const bumped = await tx.workflow.updateMany({ where: { id, orgId, currentVersion: opts.baseVersion }, data: { ...fields, currentVersion: version } });
    if (bumped.count !== 1) throw new AppError("CONFLICT", "Someone else saved this workflow while you were editing it. Reload the page to see their version, then make your change again.");
  }
  await tx.workflowVersion.create({ data: { workflowId: id, version, draft, config: stored as object, createdById: actor.userId } });
  await recordAudit({ orgId, actor: { id: actor.userId, label: actor.label }, action: opts.audit.action, target: opts.audit.target, details: { ...opts.audit.details, version, ...(draft ? { draft } : {}) } }, tx);
  return { id, version, draft, unreviewed };
}

/** The config with each table's knownColumns set from the cached introspection (unchanged without one). */
export function withKnownColumns(config: TWorkflowConfig, intro: SourceIntrospection | null, keep: boolean): TWorkflowConfig {
  if (!intro) return config;
  return {
    ...config,
    tables: config.tables.map((t) => {
      if (keep && t.knownColumns) return t;
      const cols = findTable(intro, t.schema, t.table)?.columns.map((c) => c.name);
      return cols ? { ...t, knownColumns: cols } : t;
    }),
  };
}

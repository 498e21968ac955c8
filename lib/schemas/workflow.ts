import { z } from "zod";
import { ZPgConnection, ZS3Connection } from "./connection";
import { ZRule } from "./rules";

// A workflow, in two forms built from the same parts:
// - ZWorkflowConfig: what the app stores and edits (connections by id, no secrets, no salt);
// - ZWorkflowDefinition: what the engine and the CLI's workflow.json take (connections and
//   the organisation's hash salt inline). The worker turns a stored config into a definition.
// Checks that need the source catalog (unknown column, rule on the wrong type...) are in
// lib/pipeline/validate-definition.ts.

export const WORKFLOW_VERSION = 1;

const ZName = z.string().min(1).max(63 * 4);

export const ZTableFilter = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("all") }),
  z.object({
    kind: z.literal("window"),
    /** Timestamp/date columns: a row is kept when any of them is within the window. */
    columns: z.array(ZName).min(1, "Choose at least one timestamp column for the time window."),
    days: z.number().int().min(1).max(36500),
  }),
]);
export type TTableFilter = z.infer<typeof ZTableFilter>;

/**
 * Change detection of a table for delta updates (used when the target output has `delta`): an
 * updated-at-like timestamp column (timestamptz, or timestamp holding UTC) that every insert and
 * update sets, or `xmin: true` for a table without one (the rows' xmin against the previous run's
 * snapshot, delta-plan.ts). Tables without either are re-read in full on every run (and upserted).
 * `softDelete`: a boolean column (true = deleted) or a timestamp/date one (not null = deleted) whose
 * marked rows are removed from the twin; the table's keys are then not compared for deletes.
 */
export const ZTableDelta = z.object({ column: ZName.optional(), xmin: z.literal(true).optional(), softDelete: ZName.optional() }).strict();
export type TTableDelta = z.infer<typeof ZTableDelta>;

export const ZWorkflowTable = z.object({
  schema: ZName,
  table: ZName,
  filter: ZTableFilter.default({ kind: "all" }),
  /** Column name -> rule; columns without a rule are copied unchanged. */
  rules: z.record(z.string().min(1), ZRule).default({}),
  delta: ZTableDelta.optional(),
});
export type TWorkflowTable = z.infer<typeof ZWorkflowTable>;

/**
 * A table as the engine takes it: plus, when the definition has a review policy, the columns a
 * person has reviewed besides those with a rule (the worker passes a saved version's known columns).
 */
export const ZDefinitionTable = ZWorkflowTable.extend({
  reviewedColumns: z.array(ZName).optional(),
});
export type TDefinitionTable = z.infer<typeof ZDefinitionTable>;

/**
 * Privacy by default: every source column of a selected table must be reviewed (have a rule,
 * `keep` included, follow a redacted key, be generated, or be listed in the table's
 * reviewedColumns). A column that is not stops the run before anything is written ("fail") or
 * is copied as NULL and reported ("null"). Without `review`, columns without a rule are copied
 * unchanged (a workflow.json of the CLI written before this existed).
 */
export const ZReviewPolicy = z.object({ unreviewed: z.enum(["fail", "null"]) });
export type TReviewPolicy = z.infer<typeof ZReviewPolicy>;

/**
 * A table as a stored version keeps it: plus the source's columns known when the version was
 * saved (from the cached introspection; absent in older versions), so the workflow page can tell
 * a column added to the source since then (schema drift). The engine never sees it: the
 * definition's tables (ZWorkflowTable) strip it.
 */
export const ZWorkflowConfigTable = ZWorkflowTable.extend({
  knownColumns: z.array(z.string()).optional(),
});
export type TWorkflowConfigTable = z.infer<typeof ZWorkflowConfigTable>;

export const CUSTOMIZATION_PARAM_TYPES = ["text", "number", "url", "date", "boolean"] as const;

export const ZCustomizationParam = z.object({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "Use letters, digits and underscores, starting with a letter."),
  label: z.string().trim().min(1).max(100),
  type: z.enum(CUSTOMIZATION_PARAM_TYPES).default("text"),
  help: z.string().max(500).optional(),
});
export type TCustomizationParam = z.infer<typeof ZCustomizationParam>;

export const CUSTOMIZATION_VALUE_MAX_LENGTH = 10_000;
export const CUSTOMIZATION_VALUES_MAX_COUNT = 100;

/** A customization parameter's value (a run's, or the workflow's saved demo values), bounded. */
export const ZCustomizationValueMap = <V extends z.ZodType>(value: V) =>
  z
    .record(z.string().max(100), value)
    .refine((v) => Object.keys(v).length <= CUSTOMIZATION_VALUES_MAX_COUNT, `At most ${CUSTOMIZATION_VALUES_MAX_COUNT} customization values.`);

/** The values a run may bring (API): text of at most 10,000 characters, numbers, booleans, null. */
export const ZRunCustomizationValues = ZCustomizationValueMap(z.union([z.string().max(CUSTOMIZATION_VALUE_MAX_LENGTH), z.number(), z.boolean(), z.null()]));

export const ZCustomization = z.object({
  name: z.string().trim().min(1).max(100),
  /** One SQL statement with `%(name)s` or `:name` parameters; run on the target after the load. */
  statement: z.string().trim().min(1).max(20_000),
  params: z.array(ZCustomizationParam).default([]),
}).superRefine((c, ctx) => {
  const seen = new Set<string>();
  c.params.forEach((p, i) => {
    if (seen.has(p.name)) ctx.addIssue({ code: "custom", path: ["params", i, "name"], message: `Parameter ${p.name} is declared twice.` });
    seen.add(p.name);
  });
});
export type TCustomization = z.infer<typeof ZCustomization>;

export const ZWorkflowOptions = z.object({
  /** Tables copied (and indexes built) at once. */
  parallelism: z.number().int().min(1).max(16).optional(),
  /** Distinct source values sampled per redacted column for the privacy check. */
  privacySampleSize: z.number().int().min(0).max(100_000).default(1000),
  /** Statement timeout of each customization. */
  statementTimeoutMs: z.number().int().min(100).max(3_600_000).optional(),
}).default({ privacySampleSize: 1000 });

/**
 * "Keep the twin fresh with delta updates" on the target output: the first run copies in full,
 * later runs apply only changed rows (lib/pipeline/delta-*.ts). `overlapSeconds`: how far before
 * the previous run's watermark a run reads again (clock skew, application-set timestamps).
 */
export const ZTargetDelta = z.object({ overlapSeconds: z.number().int().min(0).max(86_400).default(60) }).strict();
export type TTargetDelta = z.infer<typeof ZTargetDelta>;

export const ZS3Prefix = z.string().trim().max(512).regex(/^[^/].*|^$/, "The prefix must not start with '/'.").default("");

const tablesAndCustomizations = {
  tables: z.array(ZWorkflowTable).min(1, "Select at least one table."),
  customizations: z.array(ZCustomization).default([]),
  options: ZWorkflowOptions,
};

function checkUnique(
  v: { tables: { schema: string; table: string }[]; customizations: { name: string }[]; outputs: object },
  ctx: z.RefinementCtx,
) {
  const seen = new Set<string>();
  v.tables.forEach((t, i) => {
    const key = `${t.schema}.${t.table}`;
    if (seen.has(key)) ctx.addIssue({ code: "custom", path: ["tables", i], message: `Table ${key} is listed twice.` });
    seen.add(key);
  });
  const names = new Set<string>();
  v.customizations.forEach((c, i) => {
    if (names.has(c.name)) ctx.addIssue({ code: "custom", path: ["customizations", i, "name"], message: `Two customizations are named ${c.name}.` });
    names.add(c.name);
  });
  const outputs = v.outputs as { target?: { delta?: unknown }; s3?: unknown };
  v.tables.forEach((t, i) => {
    const delta = (t as { delta?: TTableDelta }).delta;
    if (delta && !delta.column === !delta.xmin) {
      ctx.addIssue({ code: "custom", path: ["tables", i, "delta"], message: `Table ${t.schema}.${t.table}: choose either a change column or xmin change detection for delta updates.` });
    }
    if (delta && !outputs.target?.delta) {
      ctx.addIssue({ code: "custom", path: ["tables", i, "delta"], message: `Table ${t.schema}.${t.table} has a change column, but the target output does not keep the twin fresh with delta updates; turn that on or remove the change column.` });
    }
  });
  if (!outputs.target && !outputs.s3) {
    ctx.addIssue({ code: "custom", path: ["outputs"], message: "Choose at least one output: a target database or an S3 bucket." });
  }
  if (!outputs.target && v.customizations.length) {
    ctx.addIssue({ code: "custom", path: ["customizations"], message: "Customizations run on the target database; add a target output or remove them." });
  }
}

export const ZWorkflowDefinition = z.object({
  version: z.literal(WORKFLOW_VERSION),
  source: ZPgConnection,
  ...tablesAndCustomizations,
  tables: z.array(ZDefinitionTable).min(1, "Select at least one table."),
  review: ZReviewPolicy.optional(),
  outputs: z.object({
    target: z.object({
      connection: ZPgConnection,
      /** Keep source owners and grants (the roles must exist on the target); else everything belongs to the target user. */
      keepOwnership: z.boolean().default(false),
      delta: ZTargetDelta.optional(),
    }).optional(),
    s3: z.object({ connection: ZS3Connection, prefix: ZS3Prefix }).optional(),
  }),
  /** The organisation's secret for keyed hashing and deterministic fakes. */
  hashSalt: z.string().min(16, "The hash salt must have at least 16 characters."),
}).superRefine(checkUnique);
export type TWorkflowDefinition = z.infer<typeof ZWorkflowDefinition>;
export type TWorkflowDefinitionInput = z.input<typeof ZWorkflowDefinition>;

export const ZWorkflowConfig = z.object({
  version: z.literal(WORKFLOW_VERSION).default(WORKFLOW_VERSION),
  sourceConnectionId: z.uuid(),
  ...tablesAndCustomizations,
  tables: z.array(ZWorkflowConfigTable).min(1, "Select at least one table."),
  outputs: z.object({
    target: z.object({ connectionId: z.uuid(), keepOwnership: z.boolean().default(false), delta: ZTargetDelta.optional() }).optional(),
    s3: z.object({ connectionId: z.uuid(), prefix: ZS3Prefix }).optional(),
  }),
}).superRefine(checkUnique);
export type TWorkflowConfig = z.infer<typeof ZWorkflowConfig>;

/** Zod issues as "path: message" lines, e.g. `tables.0.rules.email.kind: Invalid option`. */
export function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.length ? i.path.join(".") + ": " : ""}${i.message}`);
}

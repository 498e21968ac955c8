import { z } from "zod";
import { validateCron } from "../../../jobs/schedule";
import { ZWorkflowConfig } from "../../../schemas/workflow";
import { isUuid } from "../../../jobs/queue";
import { prisma, type Db } from "../../db";
import { AppError, notFound } from "../../errors";
import type { OrgActor } from "../../tenancy/membership";
import { addError, type ConfigErrors, createWorkflowVersion, type SavedVersion } from "./create-workflow-version";
import { fieldKey } from "./field-keys";

// Saving the workflow editor: every save is a new WorkflowVersion (createWorkflowVersion: who,
// when, conditional on the version the editor started from, checked against the organisation's
// connections and the source's cached catalog). Here: the schedule, ZWorkflowConfig and the
// migration dry-run setting; every message is keyed to the field at fault (field-keys.ts).
// Customizations and run options are edited elsewhere: they are carried over from the current version.
// The result says whether the version is a draft (columns nobody has reviewed) and lists them.

export const ZSaveWorkflow = z.object({
  workflowId: z.uuid().optional(),
  /** The version the editor loaded (absent for a new workflow). */
  baseVersion: z.number().int().min(0).optional(),
  name: z.string().trim().min(1, "Name the workflow.").max(100, "Use at most 100 characters."),
  schedule: z.object({ enabled: z.boolean(), cron: z.string().max(200) }),
  /** Runs clone into the target, then dry-run migration SQL sent with the run (API/CLI). */
  migrationDryRun: z.boolean().default(false),
  /** A TWorkflowConfig without customizations/options; validated by the service for field-level messages. */
  config: z.record(z.string(), z.unknown()),
});
export type TSaveWorkflow = z.input<typeof ZSaveWorkflow>;

export async function saveWorkflow({ db = prisma, orgId, actor, input }: { db?: Db; orgId: string; actor: OrgActor; input: Omit<z.output<typeof ZSaveWorkflow>, "migrationDryRun"> & { migrationDryRun?: boolean } }): Promise<SavedVersion> {
  const errors: ConfigErrors = {};
  const existing = input.workflowId
    ? isUuid(input.workflowId) ? await db.workflow.findFirst({ where: { id: input.workflowId, orgId }, select: { id: true, currentVersion: true, cron: true, scheduleEnabled: true } }) : null
    : null;
  if (input.workflowId && !existing) throw notFound("That workflow");
  const current = existing
    ? await db.workflowVersion.findUnique({ where: { workflowId_version: { workflowId: existing.id, version: existing.currentVersion } }, select: { config: true } })
    : null;
  const currentConfig = current ? ZWorkflowConfig.safeParse(current.config) : null;

  // Schedule.
  const cronText = input.schedule.cron.trim();
  let cron: string | null = null;
  if (cronText || input.schedule.enabled) {
    const check = validateCron(cronText);
    if (check.ok) cron = check.cron;
    else addError(errors, "cron", check.message);
  }

  // Config: the editor's part, plus what other pages edit.
  const rawTables = Array.isArray(input.config.tables) ? (input.config.tables as { schema: string; table: string }[]) : [];
  const parsed = ZWorkflowConfig.safeParse({
    ...input.config,
    customizations: currentConfig?.success ? currentConfig.data.customizations : [],
    options: currentConfig?.success ? currentConfig.data.options : undefined,
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) addError(errors, fieldKey(issue.path, rawTables), issueMessage(issue));
    throw new AppError("VALIDATION", "Please correct the highlighted fields.", errors);
  }
  const config = parsed.data;
  if (input.migrationDryRun && !config.outputs.target) {
    addError(errors, "migrationDryRun", "A migration dry-run applies the migration to the twin: choose a target database.");
  }

  const scheduleChanged = !existing || existing.cron !== cron || existing.scheduleEnabled !== input.schedule.enabled;
  const fields = { name: input.name, cron, scheduleEnabled: input.schedule.enabled && !!cron, migrationDryRun: input.migrationDryRun ?? false, ...(scheduleChanged ? { lastTickAt: new Date() } : {}) };
  try {
    // The connection and catalog checks run in createWorkflowVersion, reported with this form's errors.
    return await db.$transaction((tx) =>
      createWorkflowVersion(tx as Db, {
        orgId, actor, config, fields, formErrors: errors,
        workflowId: existing?.id ?? null,
        baseVersion: existing ? (input.baseVersion ?? existing.currentVersion) : 0,
        audit: { action: existing ? "workflow.updated" : "workflow.created", target: input.name },
      }),
    );
  } catch (err) {
    if ((err as { code?: string }).code === "P2002") throw new AppError("VALIDATION", "Please correct the highlighted fields.", { name: ["Another workflow already has this name."] });
    throw err;
  }
}

function issueMessage(issue: z.core.$ZodIssue): string {
  const last = issue.path[issue.path.length - 1];
  if (issue.path[0] === "sourceConnectionId") return "Choose the source database.";
  if (issue.path[0] === "outputs" && issue.path.length > 1 && last === "connectionId") return "Choose a connection.";
  if (last === "days") return "Enter a number of days between 1 and 36500.";
  return issue.message;
}

import { z } from "zod";
import { validateCron } from "../../../jobs/schedule";
import { validateAgainstCatalog } from "../../../pipeline/validate-definition";
import { type TWorkflowConfig, ZWorkflowConfig } from "../../../schemas/workflow";
import { recordAudit } from "../../audit";
import { prisma, type Db } from "../../db";
import { AppError, notFound } from "../../errors";
import type { OrgActor } from "../actor";
import { fieldKey } from "./field-keys";
import { catalogOf, readIntrospection } from "./source-catalog";

// Saving the workflow editor: every save is a new WorkflowVersion (who, when) and bumps
// Workflow.currentVersion in the same transaction, conditional on the version the editor
// started from (two admins saving at once cannot overwrite each other silently). The config is
// checked with ZWorkflowConfig, against the organisation's connections, and against the source's
// cached catalog when there is one; every message is keyed to the field at fault (field-keys.ts).
// Customizations and run options are edited elsewhere: they are carried over from the current version.

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

type Errors = Record<string, string[]>;
const add = (errors: Errors, key: string, message: string) => {
  const list = (errors[key] ??= []);
  if (!list.includes(message)) list.push(message);
};

export async function saveWorkflow({ db = prisma, orgId, actor, input }: { db?: Db; orgId: string; actor: OrgActor; input: Omit<z.output<typeof ZSaveWorkflow>, "migrationDryRun"> & { migrationDryRun?: boolean } }): Promise<{ id: string; version: number }> {
  const errors: Errors = {};
  const existing = input.workflowId
    ? await db.workflow.findFirst({ where: { id: input.workflowId, orgId }, select: { id: true, currentVersion: true, cron: true, scheduleEnabled: true } }).catch(() => null)
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
    else add(errors, "cron", check.message);
  }

  // Config: the editor's part, plus what other pages edit.
  const rawTables = Array.isArray(input.config.tables) ? (input.config.tables as { schema: string; table: string }[]) : [];
  const parsed = ZWorkflowConfig.safeParse({
    ...input.config,
    customizations: currentConfig?.success ? currentConfig.data.customizations : [],
    options: currentConfig?.success ? currentConfig.data.options : undefined,
  });
  if (!parsed.success) for (const issue of parsed.error.issues) add(errors, fieldKey(issue.path, rawTables), issueMessage(issue));
  const config: TWorkflowConfig | null = parsed.success ? parsed.data : null;

  if (config) {
    const ids = [config.sourceConnectionId, config.outputs.target?.connectionId, config.outputs.s3?.connectionId].filter((x): x is string => !!x);
    const conns = await db.connection.findMany({ where: { orgId, id: { in: ids } }, select: { id: true, kind: true, introspection: true } });
    const byId = new Map(conns.map((c) => [c.id, c]));
    const expectKind = (id: string | undefined, kind: "POSTGRES" | "S3", key: string, what: string) => {
      if (!id) return;
      const c = byId.get(id);
      if (!c) add(errors, key, `Choose ${what}: that connection no longer exists.`);
      else if (c.kind !== kind) add(errors, key, `Choose ${what}.`);
    };
    expectKind(config.sourceConnectionId, "POSTGRES", "sourceConnectionId", "a PostgreSQL source");
    expectKind(config.outputs.target?.connectionId, "POSTGRES", "outputs/target/connectionId", "a PostgreSQL target");
    expectKind(config.outputs.s3?.connectionId, "S3", "outputs/s3/connectionId", "an S3 connection");
    if (config.outputs.target?.connectionId === config.sourceConnectionId) {
      add(errors, "outputs/target/connectionId", "The target must be another database than the source: the twin replaces the target's tables.");
    }
    const intro = readIntrospection(byId.get(config.sourceConnectionId)?.introspection ?? null);
    if (intro) for (const p of validateAgainstCatalog(config, catalogOf(intro))) add(errors, fieldKey(p.path, config.tables), p.message);
  }
  if (input.migrationDryRun && config && !config.outputs.target) {
    add(errors, "migrationDryRun", "A migration dry-run applies the migration to the twin: choose a target database.");
  }
  if (Object.keys(errors).length > 0 || !config) throw new AppError("VALIDATION", "Please correct the highlighted fields.", errors);

  const scheduleChanged = !existing || existing.cron !== cron || existing.scheduleEnabled !== input.schedule.enabled;
  const schedule = { cron, scheduleEnabled: input.schedule.enabled && !!cron, migrationDryRun: input.migrationDryRun ?? false, ...(scheduleChanged ? { lastTickAt: new Date() } : {}) };
  try {
    const saved = await db.$transaction(async (tx) => {
      if (!existing) {
        const wf = await tx.workflow.create({ data: { orgId, name: input.name, currentVersion: 1, ...schedule }, select: { id: true } });
        await tx.workflowVersion.create({ data: { workflowId: wf.id, version: 1, config: config as object, createdById: actor.userId } });
        return { id: wf.id, version: 1 };
      }
      const base = input.baseVersion ?? existing.currentVersion;
      const version = base + 1;
      const bumped = await tx.workflow.updateMany({ where: { id: existing.id, orgId, currentVersion: base }, data: { name: input.name, currentVersion: version, ...schedule } });
      if (bumped.count !== 1) throw new AppError("CONFLICT", "Someone else saved this workflow while you were editing it. Reload the page to see their version, then make your change again.");
      await tx.workflowVersion.create({ data: { workflowId: existing.id, version, config: config as object, createdById: actor.userId } });
      return { id: existing.id, version };
    });
    await recordAudit({ orgId, actor: { id: actor.userId, label: actor.label }, action: existing ? "workflow.updated" : "workflow.created", target: input.name, details: { version: saved.version } }, db);
    return saved;
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

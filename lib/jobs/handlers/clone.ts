import { UnreviewedColumnsError } from "../../pipeline/review-policy";
import { runClone } from "../../pipeline/run-clone";
import { JobFailure } from "../errors";
import { migrationSqlProblem } from "../migration-sql-rule";
import type { CloneReport, DeltaTableState } from "../../pipeline/types";
import { SQL } from "../queue-sql";
import { type CustomizationValues, type ResolvedRun, resolveDefinition } from "../resolve-definition";
import { runMigrationDryRun } from "./migration-dry-run";
import type { JobHandler } from "./types";

// CLONE: run the workflow version stored on the job (the one current at enqueue) with the
// organisation's connections. The engine's staging + swap makes a rerun from the start safe;
// beforeSwapCommit re-checks our claim inside the swap transaction, so a worker that lost the
// job (lease expired, another worker took over) never swaps its copy into place.
export const runCloneJob: JobHandler = async ({ job, signal, pool, onProgress, log, assertClaim }) => {
  if (!job.workflowId) throw new JobFailure("INVALID_INPUT", "This clone job has no workflow.", "Start the run from the workflow page.");
  const runValues = (job.input.customizationValues ?? undefined) as CustomizationValues | undefined;
  const resolved = await resolveDefinition(pool, { orgId: job.orgId, workflowId: job.workflowId, version: job.workflowVersion, runValues });
  const migrationSql = typeof job.input.migrationSql === "string" ? job.input.migrationSql : null;
  const problem = migrationSqlProblem(resolved.migrationDryRun, migrationSql);
  if (problem?.kind === "MISSING") throw new JobFailure("INVALID_INPUT", problem.message, problem.hint);
  log({ level: "info", message: `Cloning version ${job.workflowVersion ?? "current"}: ${resolved.definition.tables.length} table(s).` });
  // A migration dry-run changes the twin after the clone: its next run copies in full.
  const delta = !!resolved.definition.outputs.target?.delta && !!job.targetKey && !resolved.migrationDryRun;
  const deltaState = delta ? (await pool.query<DeltaTableState>(SQL.deltaStates, [job.workflowId, job.targetKey])).rows : undefined;
  const report = await runClone(resolved.definition, {
    deltaState,
    signal,
    onProgress,
    beforeSwapCommit: assertClaim,
    customizationValues: resolved.customizationValues,
    // Shown in the target's pg_stat_activity, so an operator sees which job holds its lock.
    applicationName: `job ${job.id} ${job.claimToken.slice(0, 8)}`,
  }).catch((err) => {
    // The job keeps the unreviewed columns, so its page can show the scanner's finding for each.
    if (err instanceof UnreviewedColumnsError) throw new JobFailure(err.code, err.message, err.hint, false, { unreviewed: err.unreviewed });
    throw err;
  });
  // The next delta run's watermark and fingerprints (cleared when delta updates are off), now that the target committed.
  if (job.targetKey) {
    const { rows } = await pool.query(SQL.saveDeltaStates, [job.id, job.claimToken, job.workflowId, job.targetKey, JSON.stringify(delta ? report.delta?.tables ?? [] : [])]);
    if (!rows[0].held) log({ level: "warn", message: "This worker lost the job after the target committed; the next run reads the changes again." });
  }
  if (!resolved.migrationDryRun || !migrationSql) return { ...report, valuesUsed: valuesUsed(resolved) };
  const target = resolved.definition.outputs.target?.connection;
  if (!target) throw new JobFailure("INVALID_DEFINITION", "A migration dry-run needs a target database.", "Add a target database to the workflow.");
  // The migration writes to the target too: a worker that lost the job after the swap (the new
  // owner is cloning again, or it was cancelled) must not apply it; checked again before COMMIT.
  await assertClaim();
  return runMigrationDryRun({ target, sql: migrationSql, clone: report, signal, log, onProgress, beforeCommit: assertClaim });
};

/** Each declared parameter once, with the value the run used (the workflow's saved one or the run's own). */
function valuesUsed({ definition, customizationValues }: ResolvedRun): CloneReport["valuesUsed"] {
  const seen = new Map<string, NonNullable<CloneReport["valuesUsed"]>[number]>();
  for (const c of definition.customizations ?? []) {
    for (const p of c.params) if (!seen.has(p.name)) seen.set(p.name, { name: p.name, label: p.label, value: customizationValues[p.name] ?? null });
  }
  return [...seen.values()];
}

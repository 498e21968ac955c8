// POST /api/v1/workflows/{id}/runs – start a run of the workflow (coalesces into a queued run).
import { z } from "zod";
import { jobsPool } from "../../../../../../lib/jobs/db";
import { UNREVIEWED_COLUMNS } from "../../../../../../lib/jobs/draft-refusal";
import { enqueueJob } from "../../../../../../lib/jobs/enqueue-job";
import { JobFailure } from "../../../../../../lib/jobs/errors";
import { can } from "../../../../../../lib/server/permissions";
import { BODY_LIMITS } from "../../../../../../lib/server/read-body";
import { ZRunCustomizationValues } from "../../../../../../lib/schemas/workflow";
import type { Role } from "../../../../../../generated/prisma/enums";
import { apiError, authenticate, handle, readJson } from "../../../api-helpers";

const ZRunRequest = z.object({
  customizationValues: ZRunCustomizationValues.optional(),
  /** Migration dry-run workflows only: the SQL to apply to the fresh clone. */
  migrationSql: z.string().min(1).max(1_000_000).optional(),
}).strict();

/** Order-independent form of a run's customization values (absent means none). */
const valuesKey = (v: unknown) => JSON.stringify(Object.entries((v ?? {}) as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return handle(async () => {
    const principal = await authenticate(request, "workflow", "run");
    const { id } = await params;
    const body = await readJson(request, ZRunRequest, BODY_LIMITS.runRequest);
    // Migration SQL runs as written on the target database: that is editing the workflow's
    // effect, not running it, so it needs the role that may change workflows.
    if (body.migrationSql && !can(principal.role as Role, "workflow", "update")) {
      return apiError("FORBIDDEN", `This API key's role (${principal.role.toLowerCase()}) can start runs but not send migration SQL, which runs on the target database. Use a key with the admin or owner role.`);
    }
    const pool = jobsPool();
    const wf = await pool.query<{ migration_dry_run: boolean }>(
      `SELECT migration_dry_run FROM workflows WHERE id::text = $1 AND org_id = $2::uuid`, [id, principal.orgId]);
    if (!wf.rows[0]) return apiError("NOT_FOUND", "That workflow was not found.");
    if (body.migrationSql && !wf.rows[0].migration_dry_run) {
      return apiError("VALIDATION", "This workflow is not a migration dry-run workflow; turn that on in the workflow settings to send migration SQL.");
    }
    if (!body.migrationSql && wf.rows[0].migration_dry_run) {
      return apiError("VALIDATION", "This is a migration dry-run workflow: send the migration in `migrationSql`.");
    }
    try {
      const { job, coalesced } = await enqueueJob(pool, {
        orgId: principal.orgId, kind: "CLONE", trigger: "API", workflowId: id, triggeredByKeyId: principal.keyId,
        input: { ...(body.customizationValues ? { customizationValues: body.customizationValues } : {}), ...(body.migrationSql ? { migrationSql: body.migrationSql } : {}) },
      });
      if (!job) return apiError("CONFLICT", "The run could not be queued; try again.");
      // A coalesced request gets the queued run, which runs with the first request's input.
      if (coalesced && (job.input.migrationSql ?? undefined) !== body.migrationSql) {
        return apiError("CONFLICT", "A run of this workflow with other migration SQL is already queued. Wait for it to start, then try again.", { jobId: job.id });
      }
      if (coalesced && valuesKey(job.input.customizationValues) !== valuesKey(body.customizationValues)) {
        return apiError("CONFLICT", "A run of this workflow with other customization values is already queued. Wait for it to start, then try again with your values.", { jobId: job.id });
      }
      return Response.json({ jobId: job.id, status: job.status.toLowerCase(), coalesced }, { status: coalesced ? 200 : 201 });
    } catch (err) {
      if (err instanceof JobFailure && err.code === "NOT_FOUND") return apiError("NOT_FOUND", "That workflow was not found.");
      // A draft version (columns nobody has reviewed) never runs; the answer names them.
      if (err instanceof JobFailure && err.code === UNREVIEWED_COLUMNS) return apiError("VALIDATION", `${err.message} ${err.hint}`, err.report as Record<string, unknown>);
      throw err;
    }
  });
}

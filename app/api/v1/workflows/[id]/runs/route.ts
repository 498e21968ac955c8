// POST /api/v1/workflows/{id}/runs – start a run of the workflow (coalesces into a queued run).
import { z } from "zod";
import { ZRunCustomizationValues } from "../../../../../../lib/schemas/workflow";
import { BODY_LIMITS } from "../../../../../../lib/server/read-body";
import { startRun } from "../../../../../../lib/server/services/jobs/start-run";
import { apiRoute } from "../../../../../../lib/server/tenancy/api-route";
import { readJson } from "../../../api-helpers";

const ZRunRequest = z.object({
  customizationValues: ZRunCustomizationValues.optional(),
  /** Migration dry-run workflows only: the SQL to apply to the fresh clone. */
  migrationSql: z.string().min(1).max(1_000_000).optional(),
}).strict();

export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return apiRoute(request, ["workflow", "run"], async (ctx) => {
    const { id } = await params;
    const body = await readJson(request, ZRunRequest, BODY_LIMITS.runRequest);
    const run = await startRun({ orgId: ctx.org.id, actor: ctx.actor, workflowId: id, customizationValues: body.customizationValues, migrationSql: body.migrationSql });
    return Response.json({ jobId: run.jobId, status: run.status.toLowerCase(), coalesced: run.coalesced }, { status: run.coalesced ? 200 : 201 });
  });
}

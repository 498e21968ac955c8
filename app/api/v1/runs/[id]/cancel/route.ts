// POST /api/v1/runs/{id}/cancel – cancel a queued or running run (the CLI sends it on Ctrl-C).
import { BODY_LIMITS, readBodyText } from "../../../../../../lib/server/read-body";
import { cancelRun } from "../../../../../../lib/server/services/jobs/cancel-run";
import { apiRoute } from "../../../../../../lib/server/tenancy/api-route";

export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return apiRoute(request, ["job", "run"], async (ctx) => {
    const { id } = await params;
    await readBodyText(request, BODY_LIMITS.json); // no body is needed; an oversized one is refused like everywhere else
    const outcome = await cancelRun({ orgId: ctx.org.id, actor: ctx.actor, jobId: id });
    return Response.json({ jobId: id, status: outcome === "CANCELED" ? "canceled" : "running", cancelRequested: true });
  });
}

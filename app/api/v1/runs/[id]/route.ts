// GET /api/v1/runs/{id} – a run's status, attempts, progress and (when done) report or error.
import { jobsPool } from "../../../../../lib/jobs/db";
import { getJob } from "../../../../../lib/jobs/queue";
import { notFound } from "../../../../../lib/server/errors";
import { apiRoute } from "../../../../../lib/server/tenancy/api-route";
import { runView } from "../../api-helpers";

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return apiRoute(request, ["job", "read"], async (ctx) => {
    const { id } = await params;
    const job = await getJob(jobsPool(), { orgId: ctx.org.id, jobId: id });
    if (!job) throw notFound("That run");
    return Response.json(runView(job, ctx.role));
  });
}

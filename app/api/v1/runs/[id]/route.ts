// GET /api/v1/runs/{id} – a run's status, attempts, progress and (when done) report or error.
import { jobsPool } from "../../../../../lib/jobs/db";
import { getJob } from "../../../../../lib/jobs/queue";
import { apiError, authenticate, handle, runView } from "../../api-helpers";

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return handle(async () => {
    const principal = await authenticate(request, "job", "read");
    const { id } = await params;
    const job = await getJob(jobsPool(), { orgId: principal.orgId, jobId: id });
    return job ? Response.json(runView(job, principal.role)) : apiError("NOT_FOUND", "That run was not found.");
  });
}

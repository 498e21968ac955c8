// POST /api/v1/runs/{id}/cancel – cancel a queued or running run (the CLI sends it on Ctrl-C).
import { jobsPool } from "../../../../../../lib/jobs/db";
import { cancelJob } from "../../../../../../lib/jobs/queue";
import { apiError, authenticate, handle, readBody } from "../../../api-helpers";

export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return handle(async () => {
    const principal = await authenticate(request, "job", "run");
    const { id } = await params;
    await readBody(request); // no body is needed; an oversized one is refused like everywhere else
    const result = await cancelJob(jobsPool(), { orgId: principal.orgId, jobId: id });
    if (!result) return apiError("NOT_FOUND", "That run was not found, or it has already ended.");
    return Response.json({ jobId: id, status: result === "CANCELED" ? "canceled" : "running", cancelRequested: true });
  });
}

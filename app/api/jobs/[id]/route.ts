// GET /api/jobs/{id}?after=<logId> – the job page's progress poll (session-authenticated).
import { getJobProgress } from "@/lib/server/services/jobs/get-job-progress";
import { notFound } from "@/lib/server/errors";
import { orgRouteContext } from "@/lib/server/tenancy/org-route";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const after = new URL(request.url).searchParams.get("after");
  // The URL names no organisation: the membership is the caller's in the organisation holding the job.
  return orgRouteContext({ jobId: id }, ["job", "read"], async (ctx) => {
    const view = await getJobProgress({ orgId: ctx.org.id, role: ctx.role, jobId: id, afterLogId: after && /^\d{1,18}$/.test(after) ? BigInt(after) : undefined });
    if (!view) throw notFound("That run");
    return view;
  });
}

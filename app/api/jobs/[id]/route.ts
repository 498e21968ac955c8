// GET /api/jobs/{id}?after=<logId> – the job page's progress poll (session-authenticated).
import { getSessionUser } from "@/lib/server/session";
import { getJobProgress } from "@/lib/server/services/jobs/get-job-progress";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const user = await getSessionUser();
  if (!user) return Response.json({ error: { code: "UNAUTHENTICATED", message: "Sign in again." } }, { status: 401 });
  const { id } = await params;
  const after = new URL(request.url).searchParams.get("after");
  const view = await getJobProgress({ userId: user.id, jobId: id, afterLogId: after && /^\d{1,18}$/.test(after) ? BigInt(after) : undefined });
  if (!view) return Response.json({ error: { code: "NOT_FOUND", message: "That run was not found." } }, { status: 404 });
  return Response.json(view, { headers: { "cache-control": "no-store" } });
}

// GET /<orgSlug>/connections/tests/<jobId> – the outcome of a test of unsaved settings (the connection form polls it).
import { getSettingsTest } from "@/lib/server/services/connections/connection-status";
import { orgRouteContext } from "@/lib/server/tenancy/org-route";

export async function GET(_request: Request, { params }: { params: Promise<{ orgSlug: string; jobId: string }> }) {
  const { orgSlug, jobId } = await params;
  return orgRouteContext(orgSlug, ["connection", "create"], (ctx) => getSettingsTest({ orgId: ctx.org.id, jobId }));
}

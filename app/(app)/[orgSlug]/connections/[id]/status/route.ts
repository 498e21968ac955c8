// GET /<orgSlug>/connections/<id>/status – latest test and introspection of a connection (the page polls it).
import { orgRouteContext } from "@/lib/server/tenancy/org-route";
import { getConnectionStatus } from "@/lib/server/services/connections/connection-status";

export async function GET(_request: Request, { params }: { params: Promise<{ orgSlug: string; id: string }> }) {
  const { orgSlug, id } = await params;
  return orgRouteContext(orgSlug, ["connection", "read"], (ctx) => getConnectionStatus({ orgId: ctx.org.id, connectionId: id }));
}

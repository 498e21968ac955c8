import { notFound } from "next/navigation";
import { prisma } from "@/lib/server/db";
import { requireOrgPermission } from "@/lib/server/tenancy/org-context";

// A run of another organisation, or a malformed id, is a 404 before the page streams: the
// loading placeholder (loading.tsx) below this layout commits the response to 200.
export default async function JobLayout({ children, params }: { children: React.ReactNode; params: Promise<{ orgSlug: string; jobId: string }> }) {
  const { orgSlug, jobId } = await params;
  const ctx = await requireOrgPermission(orgSlug, "job", "read");
  const job = await prisma.job.findFirst({ where: { id: jobId, orgId: ctx.org.id }, select: { id: true } }).catch(() => null);
  if (!job) notFound();
  return children;
}

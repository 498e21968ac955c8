import Link from "next/link";
import { notFound } from "next/navigation";
import { isUuid } from "@/lib/jobs/queue";
import { prisma } from "@/lib/server/db";
import { requireOrgPermission } from "@/lib/server/tenancy/org-context";
import { WorkflowTabBar } from "./tab-bar";
import { WORKFLOW_TABS } from "./tabs";

// Every page of one workflow: breadcrumb and the tab bar (tabs.ts, filtered by role). A
// workflow of another organisation, or a malformed id, is the same 404 as a missing one.
export default async function WorkflowLayout({ children, params }: { children: React.ReactNode; params: Promise<{ orgSlug: string; id: string }> }) {
  const { orgSlug, id } = await params;
  const ctx = await requireOrgPermission(orgSlug, "workflow", "read");
  const wf = isUuid(id) ? await prisma.workflow.findFirst({ where: { id, orgId: ctx.org.id }, select: { id: true, name: true } }) : null;
  if (!wf) notFound();
  const base = `/${ctx.org.slug}/workflows/${wf.id}`;
  const tabs = WORKFLOW_TABS.filter((t) => ctx.can(...t.permission)).map((t) => ({ label: t.label, href: t.path ? `${base}/${t.path}` : base, exact: !t.path }));
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-3 text-sm text-slate-500">
        <Link href={`/${ctx.org.slug}/workflows`} className="hover:text-slate-900">
          Workflows
        </Link>
        <span className="mx-1.5" aria-hidden>
          /
        </span>
        <span className="text-slate-700">{wf.name}</span>
      </nav>
      <WorkflowTabBar tabs={tabs} />
      {children}
    </>
  );
}

import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Card, CardHeader } from "@/app/_components/card";
import { EmptyState } from "@/app/_components/empty-state";
import { Icon } from "@/app/_components/icons";
import { PageHeader } from "@/app/_components/page-header";
import { isUuid } from "@/lib/jobs/queue";
import { prisma } from "@/lib/server/db";
import { requireOrgPermission } from "@/lib/server/tenancy/org-context";
import { listJobs, ZJobFilter } from "@/lib/server/services/jobs/list-jobs";
import { JobFilters, Pager } from "../../../jobs/_components/job-filters";
import { JobTable } from "../../../jobs/_components/job-table";
import { DriftBanner } from "../_drift/drift-banner";
import { RunNowButton } from "../run-now-button";

export const metadata: Metadata = { title: "Runs" };

// A workflow's run history (its "Runs" tab).
export default async function WorkflowRunsPage({ params, searchParams }: { params: Promise<{ orgSlug: string; id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { orgSlug, id } = await params;
  const ctx = await requireOrgPermission(orgSlug, "job", "read");
  const workflow = isUuid(id) ? await prisma.workflow.findFirst({ where: { id, orgId: ctx.org.id }, select: { id: true, name: true } }) : null;
  if (!workflow) notFound();
  const filter = { ...ZJobFilter.parse(await searchParams), workflowId: workflow.id };
  const page = await listJobs({ orgId: ctx.org.id, filter });
  const base = `/${ctx.org.slug}/workflows/${workflow.id}/runs`;
  return (
    <>
      <PageHeader
        title={`Runs of ${workflow.name}`}
        description="Each run copies the workflow version that was current when it started."
        actions={ctx.can("workflow", "run") ? <RunNowButton orgSlug={ctx.org.slug} workflowId={workflow.id} /> : undefined}
      />
      <div className="space-y-6">
        <DriftBanner orgId={ctx.org.id} orgSlug={ctx.org.slug} workflowId={workflow.id} />
        <Card>
          <CardHeader title="History" />
          <JobFilters action={base} filter={filter} />
          {page.items.length === 0 ? (
            <EmptyState icon={<Icon name="play" className="size-8" />} title="No runs yet" description={ctx.can("workflow", "run") ? "Press Run now to make the first copy." : "Runs appear here once someone starts the workflow."} />
          ) : (
            <>
              <JobTable orgSlug={ctx.org.slug} jobs={page.items} showWorkflow={false} caption={`Runs of ${workflow.name}`} />
              <Pager base={base} filter={{ ...filter, workflowId: undefined }} hasNext={page.hasNext} />
            </>
          )}
        </Card>
      </div>
    </>
  );
}

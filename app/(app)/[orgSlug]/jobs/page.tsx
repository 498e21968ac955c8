import { Suspense } from "react";
import type { Metadata } from "next";
import { Card } from "@/app/_components/card";
import { EmptyState } from "@/app/_components/empty-state";
import { Icon } from "@/app/_components/icons";
import { PageHeader } from "@/app/_components/page-header";
import { prisma } from "@/lib/server/db";
import { requireOrgPermission } from "@/lib/server/tenancy/org-context";
import { listJobs, ZJobFilter } from "@/lib/server/services/jobs/list-jobs";
import { JobFilters, Pager } from "./_components/job-filters";
import { JobTable } from "./_components/job-table";
import { ListSkeleton } from "../skeletons";

export const metadata: Metadata = { title: "Runs" };

// The permission check comes before the placeholder: once it shows, the response is a 200.
export default async function JobsPage(props: Parameters<typeof JobsList>[0]) {
  await requireOrgPermission((await props.params).orgSlug, "job", "read");
  return (
    <Suspense fallback={<ListSkeleton label="Loading the runs" rows={8} cols={5} filters />}>
      <JobsList {...props} />
    </Suspense>
  );
}

async function JobsList({ params, searchParams }: { params: Promise<{ orgSlug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { orgSlug } = await params;
  const ctx = await requireOrgPermission(orgSlug, "job", "read");
  const filter = ZJobFilter.parse(await searchParams);
  const [page, workflows] = await Promise.all([
    listJobs({ orgId: ctx.org.id, filter }),
    prisma.workflow.findMany({ where: { orgId: ctx.org.id }, orderBy: { name: "asc" }, select: { id: true, name: true } }),
  ]);
  const filtered = !!(filter.status || filter.workflowId);
  return (
    <>
      <PageHeader title="Runs" description="Every clone and scan in this organisation: who started it, how long it took, what it copied." />
      <Card>
        <JobFilters action={`/${ctx.org.slug}/jobs`} filter={filter} workflows={workflows} />
        {page.items.length === 0 ? (
          <EmptyState
            icon={<Icon name="play" className="size-8" />}
            title={filtered ? "No runs match this filter" : "No runs yet"}
            description={filtered ? "Try another status or workflow." : "Runs appear here when someone presses Run now, a schedule fires, or CI calls the run API."}
          />
        ) : (
          <>
            <JobTable orgSlug={ctx.org.slug} jobs={page.items} />
            <Pager base={`/${ctx.org.slug}/jobs`} filter={filter} hasNext={page.hasNext} />
          </>
        )}
      </Card>
    </>
  );
}

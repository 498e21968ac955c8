import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Card, CardBody, CardHeader } from "@/app/_components/card";
import { EmptyState } from "@/app/_components/empty-state";
import { PageHeader } from "@/app/_components/page-header";
import { prisma } from "@/lib/server/db";
import { AppError } from "@/lib/server/errors";
import { requireOrgPermission } from "@/lib/server/tenancy/org-context";
import { listCustomizations } from "@/lib/server/services/customizations/list-customizations";
import { JOB_SUMMARY_SELECT, summarizeJobs } from "@/lib/server/services/jobs/job-summary";
import { JobStatusBadge } from "../../jobs/_components/job-status-badge";
import { DemoForm } from "./demo-form";
import { RelativeTime } from "@/app/_components/relative-time";

export const metadata: Metadata = { title: "Next demo" };

export default async function DemoPage({ params }: { params: Promise<{ orgSlug: string; workflowId: string }> }) {
  const { orgSlug, workflowId } = await params;
  const ctx = await requireOrgPermission(orgSlug, "customization_values", "read");
  const data = await listCustomizations({ orgId: ctx.org.id, workflowId }).catch((err) => {
    if (err instanceof AppError && err.code === "NOT_FOUND") notFound();
    throw err;
  });
  const lastRow = await prisma.job.findFirst({ where: { orgId: ctx.org.id, workflowId: data.workflow.id, kind: "CLONE" }, orderBy: { createdAt: "desc" }, select: JOB_SUMMARY_SELECT });
  const [last] = lastRow ? await summarizeJobs(prisma, ctx.org.id, [lastRow]) : [];
  // Parameters shared by several customizations are asked once.
  const seen = new Set<string>();
  const params_ = data.customizations.flatMap((c) => c.params).filter((p) => !seen.has(p.name) && seen.add(p.name));
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-slate-500">
        <Link href={`/${ctx.org.slug}/demo`} className="hover:text-slate-800">
          Demos
        </Link>
      </nav>
      <PageHeader title={`Next demo: ${data.workflow.name}`} description="Fill in the prospect's details. Reset demo now rebuilds the demo database with them (it takes a minute or two)." />
      <div className="grid items-start gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <CardHeader title="Demo details" />
          <CardBody>
            {params_.length === 0 ? (
              <EmptyState title="Nothing to fill in" description="This workflow has no customizations with parameters." />
            ) : (
              <DemoForm orgSlug={ctx.org.slug} workflowId={data.workflow.id} params={params_} values={data.values} canEdit={ctx.can("customization_values", "update")} canRun={ctx.can("workflow", "run")} />
            )}
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="Last reset" />
          <CardBody className="space-y-2 text-sm">
            {last ? (
              <>
                <JobStatusBadge status={last.status} cancelRequested={last.cancelRequested} />
                <p className="text-slate-600">
                  <RelativeTime date={last.startedAt ?? last.createdAt} /> by {last.triggeredBy}
                </p>
                <Link href={`/${ctx.org.slug}/jobs/${last.id}`} className="font-medium text-brand-700 hover:underline">
                  See progress and report
                </Link>
              </>
            ) : (
              <p className="text-slate-500">The demo has not been reset yet.</p>
            )}
          </CardBody>
        </Card>
      </div>
    </>
  );
}

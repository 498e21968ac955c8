import { Suspense } from "react";
import type { Metadata } from "next";
import Link from "next/link";
import { ButtonLink } from "@/app/_components/button";
import { Card, CardBody, CardHeader } from "@/app/_components/card";
import { cx } from "@/app/_components/cx";
import { EmptyState } from "@/app/_components/empty-state";
import { Icon } from "@/app/_components/icons";
import { PageHeader } from "@/app/_components/page-header";
import { Table, TBody, Td, Th, THead } from "@/app/_components/table";
import { getOrgContext } from "@/lib/server/tenancy/org-context";
import { dashboardSummary } from "@/lib/server/services/jobs/dashboard-summary";
import { duration } from "./jobs/_components/format";
import { JobStatusBadge } from "./jobs/_components/job-status-badge";
import { RelativeTime } from "@/app/_components/relative-time";
import { DashboardSkeleton } from "./skeletons";

export const metadata: Metadata = { title: "Dashboard" };

export default function DashboardPage(props: Parameters<typeof Dashboard>[0]) {
  return (
    <Suspense fallback={<DashboardSkeleton />}>
      <Dashboard {...props} />
    </Suspense>
  );
}

// The organisation's home: last run and next scheduled run per workflow, failures of the last
// 7 days, and — until the first run — a checklist that links to the next step.
async function Dashboard({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const ctx = await getOrgContext(orgSlug);
  const first = ctx.user.name.split(" ")[0];
  const s = await dashboardSummary({ orgId: ctx.org.id });
  const base = `/${ctx.org.slug}`;
  const admin = ctx.can("connection", "create");
  const steps = [
    { done: s.counts.connections > 0, title: "Connect a source database and a target for the twin", href: `${base}/connections`, cta: "Add a connection", allowed: admin },
    { done: s.counts.workflows > 0, title: "Build a workflow: pick tables and a redaction rule per column", href: `${base}/workflows`, cta: "Create a workflow", allowed: ctx.can("workflow", "create") },
    { done: s.counts.runs > 0, title: "Run it now or on a schedule, and invite your team", href: s.workflows[0] ? `${base}/workflows/${s.workflows[0].id}/runs` : `${base}/workflows`, cta: "Run a workflow", allowed: ctx.can("workflow", "run") },
  ];
  const setupDone = steps.every((x) => x.done);
  const more = [
    { allowed: ctx.can("connection", "read"), href: `${base}/scan`, title: "Scan for personal data", text: "Find columns your rules do not cover yet." },
    { allowed: ctx.can("customization_values", "update"), href: `${base}/demo`, title: "Prepare a demo", text: "Personalise the twin for the next prospect." },
    { allowed: ctx.can("api_key", "create"), href: `${base}/settings/api-keys`, title: "Run from CI", text: "Create an API key and start runs from your pipeline." },
    { allowed: true, href: `${base}/jobs`, title: "Run history", text: "Every run, who started it and what it copied." },
  ].filter((m) => m.allowed);
  return (
    <>
      <PageHeader title={`Welcome, ${first}`} description={`${ctx.org.name} — make safe, PII-free copies of your production PostgreSQL.`} />
      <div className="grid grid-cols-1 items-start gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          <Card>
            <CardHeader title="Workflows" description="Last run per workflow and the next scheduled run." actions={s.workflows.length > 0 ? <ButtonLink href={`${base}/jobs`} variant="ghost" size="sm">All runs</ButtonLink> : undefined} />
            {s.workflows.length === 0 ? (
              <EmptyState
                icon={<Icon name="flow" className="size-8" />}
                title="No workflows yet"
                description="A workflow copies chosen tables from a source database, redacts personal data column by column, and loads a digital twin or CSV files on S3."
                action={ctx.can("workflow", "create") ? <ButtonLink href={`${base}/workflows`}>Create a workflow</ButtonLink> : undefined}
              />
            ) : (
              <Table caption="Workflows" stack>
                <THead>
                  <Th>Workflow</Th>
                  <Th>Last run</Th>
                  <Th>Next scheduled run</Th>
                </THead>
                <TBody>
                  {s.workflows.map((w) => (
                    <tr key={w.id} data-testid="dashboard-workflow" data-name={w.name}>
                      <Td className="min-w-40">
                        <Link href={`${base}/workflows/${w.id}`} className="font-medium text-slate-900 hover:text-brand-700">
                          {w.name}
                        </Link>
                      </Td>
                      <Td label="Last run">
                        {w.lastRun ? (
                          <Link href={`${base}/jobs/${w.lastRun.id}`} className="inline-flex flex-wrap items-center gap-2 max-sm:justify-end">
                            <JobStatusBadge status={w.lastRun.status} />
                            <span className="text-xs text-slate-500">
                              <RelativeTime date={w.lastRun.startedAt ?? w.lastRun.createdAt} />
                              {w.lastRun.durationMs !== null ? ` · ${duration(w.lastRun.durationMs)}` : ""}
                            </span>
                          </Link>
                        ) : (
                          <span className="text-sm text-slate-400">Never run</span>
                        )}
                      </Td>
                      <Td label="Next run" className="whitespace-nowrap text-slate-600">{w.nextRun ? <RelativeTime date={w.nextRun} /> : <span className="text-slate-400">No schedule</span>}</Td>
                    </tr>
                  ))}
                </TBody>
              </Table>
            )}
          </Card>
          <Card>
            <CardHeader title="Failures in the last 7 days" description={s.failureCount > s.failures.length ? `Showing the latest ${s.failures.length} of ${s.failureCount}.` : undefined} />
            {s.failures.length === 0 ? (
              <p className="flex items-center gap-2 px-5 py-4 text-sm text-slate-600" data-testid="no-failures">
                <Icon name="check" className="size-4 text-emerald-600" />
                No failed runs this week.
              </p>
            ) : (
              <ul className="divide-y divide-slate-100">
                {s.failures.map((f) => (
                  <li key={f.id} className="px-5 py-3 text-sm" data-testid="dashboard-failure">
                    <Link href={`${base}/jobs/${f.id}`} className="font-medium text-slate-900 hover:text-brand-700">
                      {f.workflow?.name ?? f.connection?.name ?? "Run"}
                    </Link>
                    <span className="ml-2 text-xs text-slate-500"><RelativeTime date={f.finishedAt ?? f.createdAt} /></span>
                    {f.error && <p className="mt-0.5 text-red-700">{f.error.message}</p>}
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </div>
        <Card>
          <CardHeader title={setupDone ? "Next steps" : "Getting started"} />
          <CardBody>
            {setupDone ? (
              <ul className="space-y-3 text-sm" data-testid="next-steps">
                {more.map((m) => (
                  <li key={m.href}>
                    <Link href={m.href} className="font-medium text-brand-700 hover:underline">
                      {m.title} →
                    </Link>
                    <p className="text-slate-500">{m.text}</p>
                  </li>
                ))}
              </ul>
            ) : (
              <ol className="space-y-4 text-sm text-slate-600">
                {steps.map((step, i) => (
                  <li key={step.title} className="flex gap-3">
                    <span
                      className={cx(
                        "flex size-6 shrink-0 items-center justify-center rounded-full text-xs font-semibold",
                        step.done ? "bg-emerald-50 text-emerald-700" : "bg-brand-50 text-brand-700",
                      )}
                    >
                      {step.done ? <Icon name="check" className="size-3.5" /> : i + 1}
                    </span>
                    <span>
                      <span className={step.done ? "text-slate-400 line-through" : undefined}>{step.title}</span>
                      {!step.done && step.allowed && (
                        <Link href={step.href} className="mt-1 block font-medium text-brand-700 hover:underline">
                          {step.cta} →
                        </Link>
                      )}
                    </span>
                  </li>
                ))}
              </ol>
            )}
            {!admin && (
              <p className="mt-4 rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-600 ring-1 ring-slate-200 ring-inset">
                Your role here is {ctx.role.toLowerCase()}: admins set up connections and workflows.
                {ctx.can("customization_values", "update") && (
                  <>
                    {" "}
                    Prepare a demo from{" "}
                    <Link href={`${base}/demo`} className="font-medium text-brand-700 hover:underline">
                      Demos
                    </Link>
                    .
                  </>
                )}
              </p>
            )}
            {ctx.can("invite", "create") && (
              <ButtonLink href={`${base}/settings/members`} variant="secondary" size="sm" className="mt-5">
                <Icon name="users" />
                Invite teammates
              </ButtonLink>
            )}
          </CardBody>
        </Card>
      </div>
    </>
  );
}

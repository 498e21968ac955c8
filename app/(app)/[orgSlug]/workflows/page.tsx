import { Suspense } from "react";
import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/app/_components/badge";
import { ButtonLink } from "@/app/_components/button";
import { Card } from "@/app/_components/card";
import { EmptyState } from "@/app/_components/empty-state";
import { Icon } from "@/app/_components/icons";
import { PageHeader } from "@/app/_components/page-header";
import { Table, TBody, Td, Th, THead } from "@/app/_components/table";
import { requireOrgPermission } from "@/lib/server/tenancy/org-context";
import { listWorkflows } from "@/lib/server/services/workflows/list-workflows";
import { describeCron } from "./_editor/schedule-text";
import { RelativeTime } from "@/app/_components/relative-time";
import { ListSkeleton } from "../skeletons";

export const metadata: Metadata = { title: "Workflows" };

const RUN_TONE = { SUCCEEDED: "green", FAILED: "red", CANCELED: "gray", RUNNING: "blue", QUEUED: "blue" } as const;
const RUN_LABEL = { SUCCEEDED: "Succeeded", FAILED: "Failed", CANCELED: "Cancelled", RUNNING: "Running", QUEUED: "Queued" } as const;

// The permission check comes before the placeholder: once it shows, the response is a 200.
export default async function WorkflowsPage(props: Parameters<typeof WorkflowsList>[0]) {
  await requireOrgPermission((await props.params).orgSlug, "workflow", "read");
  return (
    <Suspense fallback={<ListSkeleton label="Loading the workflows" rows={4} actions />}>
      <WorkflowsList {...props} />
    </Suspense>
  );
}

async function WorkflowsList({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const ctx = await requireOrgPermission(orgSlug, "workflow", "read");
  const workflows = await listWorkflows({ orgId: ctx.org.id });
  const base = `/${ctx.org.slug}/workflows`;
  const canCreate = ctx.can("workflow", "create");
  return (
    <>
      <PageHeader
        title="Workflows"
        description="Each workflow copies chosen tables from a source database, redacts personal data by your rules, and writes a twin database and/or CSV files."
        actions={
          canCreate && (
            <ButtonLink href={`${base}/new`}>
              <Icon name="plus" />
              New workflow
            </ButtonLink>
          )
        }
      />
      <Card>
        {workflows.length === 0 ? (
          <EmptyState
            icon={<Icon name="flow" className="size-8" />}
            title="No workflows yet"
            description={canCreate ? "Create one: choose a source database, the tables to copy, the rules for personal data, and where the twin goes." : "An admin of this organisation sets workflows up."}
            action={canCreate && <ButtonLink href={`${base}/new`}>New workflow</ButtonLink>}
          />
        ) : (
          <Table caption="Workflows" stack>
            <THead>
              <Th>Name</Th>
              <Th>Source</Th>
              <Th>Writes to</Th>
              <Th>Schedule</Th>
              <Th>Last run</Th>
            </THead>
            <TBody>
              {workflows.map((w) => (
                <tr key={w.id} data-testid="workflow-row" data-name={w.name} className="hover:bg-slate-50">
                  <Td>
                    <Link href={`${base}/${w.id}`} className="font-medium text-brand-700 hover:underline">
                      {w.name}
                    </Link>
                    <div className="text-xs text-slate-500">
                      {w.tables} {w.tables === 1 ? "table" : "tables"} · version {w.version}
                    </div>
                  </Td>
                  <Td label="Source">{w.source ?? <span className="text-slate-400">Not set up</span>}</Td>
                  <Td label="Writes to">{w.outputs.length ? w.outputs.join(", ") : <span className="text-slate-400">—</span>}</Td>
                  <Td label="Schedule">
                    {w.schedule?.enabled ? <span>{describeCron(w.schedule.cron)}</span> : <span className="text-slate-400">{w.schedule ? "Paused" : "Manual only"}</span>}
                  </Td>
                  <Td label="Last run">
                    {w.lastRun ? (
                      <span className="flex flex-col items-start gap-0.5 max-sm:items-end">
                        <Badge tone={RUN_TONE[w.lastRun.status as keyof typeof RUN_TONE] ?? "gray"}>{RUN_LABEL[w.lastRun.status as keyof typeof RUN_LABEL] ?? w.lastRun.status}</Badge>
                        <RelativeTime date={w.lastRun.at} className="text-xs text-slate-500" />
                      </span>
                    ) : (
                      <span className="text-slate-400">Never run</span>
                    )}
                  </Td>
                </tr>
              ))}
            </TBody>
          </Table>
        )}
      </Card>
    </>
  );
}

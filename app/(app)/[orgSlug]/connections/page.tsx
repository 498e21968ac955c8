import { Suspense } from "react";
import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/app/_components/badge";
import { ButtonLink } from "@/app/_components/button";
import { Card, CardHeader } from "@/app/_components/card";
import { EmptyState } from "@/app/_components/empty-state";
import { Icon } from "@/app/_components/icons";
import { PageHeader } from "@/app/_components/page-header";
import { Table, TBody, Td, Th, THead } from "@/app/_components/table";
import { requireOrgPermission } from "@/lib/server/tenancy/org-context";
import { demoServer, DEMO_SOURCE_NAME, DEMO_TARGET_NAME, hasOwnDemoConnections } from "@/lib/server/services/connections/create-demo-connections";
import { listConnections } from "@/lib/server/services/connections/list-connections";
import { DemoConnectionsButton } from "./connection-controls";
import { KIND_LABEL, TestBadge } from "./connection-labels";
import { ListSkeleton } from "../skeletons";

export const metadata: Metadata = { title: "Connections" };

// The permission check comes before the placeholder: once it shows, the response is a 200.
export default async function ConnectionsPage(props: Parameters<typeof ConnectionsList>[0]) {
  await requireOrgPermission((await props.params).orgSlug, "connection", "read");
  return (
    <Suspense fallback={<ListSkeleton label="Loading the connections" rows={4} actions />}>
      <ConnectionsList {...props} />
    </Suspense>
  );
}

async function ConnectionsList({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const ctx = await requireOrgPermission(orgSlug, "connection", "read");
  const connections = await listConnections({ orgId: ctx.org.id });
  const demo = demoServer();
  const hasDemo = demo ? await hasOwnDemoConnections({ orgId: ctx.org.id, server: demo }) : false;
  const canCreate = ctx.can("connection", "create");
  const base = `/${ctx.org.slug}/connections`;
  return (
    <>
      <PageHeader
        title="Connections"
        description="Databases to copy from and to write twins into, and S3 buckets for CSV exports. Secrets are stored encrypted and never shown again."
        actions={
          canCreate && (
            <>
              <ButtonLink href={`${base}/new?kind=S3`} variant="secondary">
                Add S3 bucket
              </ButtonLink>
              <ButtonLink href={`${base}/new?kind=POSTGRES`}>
                <Icon name="plus" />
                Add PostgreSQL
              </ButtonLink>
            </>
          )
        }
      />
      <div className="space-y-6">
        {demo && canCreate && !hasDemo && (
          <Card>
            <div className="flex flex-wrap items-center justify-between gap-4 px-5 py-4">
              <div>
                <h2 className="text-base font-semibold text-slate-900">Try it with the demo databases</h2>
                <p className="mt-1 max-w-2xl text-sm text-slate-500">
                  One click makes this organisation its own demo source database, full of fake customers, orders and tickets, and an empty one for the
                  twin, and adds them as “{DEMO_SOURCE_NAME}” and “{DEMO_TARGET_NAME}”. Only this organisation can reach them.
                </p>
              </div>
              <DemoConnectionsButton orgSlug={ctx.org.slug} />
            </div>
          </Card>
        )}
        <Card>
          <CardHeader title={`Connections (${connections.length})`} />
          {connections.length === 0 ? (
            <EmptyState
              icon={<Icon name="plug" className="size-8" />}
              title="No connections yet"
              description="Add the PostgreSQL database to copy from, and the one the twin is written to. S3 buckets receive CSV exports."
              action={canCreate && <ButtonLink href={`${base}/new?kind=POSTGRES`}>Add PostgreSQL</ButtonLink>}
            />
          ) : (
            <Table caption="Connections" stack>
              <THead>
                <Th>Name</Th>
                <Th>Type</Th>
                <Th>Where</Th>
                <Th>Last test</Th>
              </THead>
              <TBody>
                {connections.map((c) => (
                  <tr key={c.id} data-testid="connection-row" data-name={c.name} className="hover:bg-slate-50">
                    <Td>
                      <Link href={`${base}/${c.id}`} className="font-medium text-brand-700 hover:underline">
                        {c.name}
                      </Link>
                    </Td>
                    <Td label="Type">
                      <Badge tone={c.kind === "POSTGRES" ? "blue" : "amber"}>{KIND_LABEL[c.kind]}</Badge>
                    </Td>
                    <Td label="Where" className="font-mono text-xs text-slate-600">{c.summary}</Td>
                    <Td label="Last test">
                      <TestBadge status={c.lastTest?.status ?? null} />
                    </Td>
                  </tr>
                ))}
              </TBody>
            </Table>
          )}
        </Card>
      </div>
    </>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Alert } from "@/app/_components/alert";
import { Badge } from "@/app/_components/badge";
import { Card, CardBody, CardHeader } from "@/app/_components/card";
import { PageHeader } from "@/app/_components/page-header";
import { AppError } from "@/lib/server/errors";
import { requireOrgPermission } from "@/lib/server/tenancy/org-context";
import { getConnection } from "@/lib/server/services/connections/get-connection";
import { getConnectionStatus } from "@/lib/server/services/connections/connection-status";
import { workflowsUsingConnection } from "@/lib/server/services/connections/workflows-using-connection";
import { ConnectionForm } from "../connection-form";
import { DeleteConnectionButton, TestConnectionPanel } from "../connection-controls";
import { KIND_LABEL } from "../connection-labels";

export const metadata: Metadata = { title: "Connection" };

export default async function ConnectionPage({ params, searchParams }: { params: Promise<{ orgSlug: string; id: string }>; searchParams: Promise<{ created?: string }> }) {
  const { orgSlug, id } = await params;
  const ctx = await requireOrgPermission(orgSlug, "connection", "read");
  const conn = await getConnection({ orgId: ctx.org.id, connectionId: id }).catch((err) => {
    if (err instanceof AppError && err.code === "NOT_FOUND") notFound();
    throw err;
  });
  const [status, usedBy] = await Promise.all([getConnectionStatus({ orgId: ctx.org.id, connectionId: conn.id }), workflowsUsingConnection({ orgId: ctx.org.id, connectionId: conn.id })]);
  const created = (await searchParams).created;
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href={`/${ctx.org.slug}/connections`} className="text-slate-500 hover:text-slate-900">
          ← Connections
        </Link>
      </p>
      <PageHeader title={conn.name} description={<Badge tone={conn.kind === "POSTGRES" ? "blue" : "amber"}>{KIND_LABEL[conn.kind]}</Badge>} />
      <div className="space-y-6">
        {created === "tested" && <Alert tone="success">Connection tested and saved.</Alert>}
        {created === "1" && <Alert tone="success">Connection saved. Test it to make sure the worker can reach it.</Alert>}
        <Card>
          <CardHeader title="Test" description={conn.kind === "POSTGRES" ? "Connects, and reports the server version, the database size and its tables." : "Checks that the bucket can be reached and listed with these keys."} />
          <TestConnectionPanel orgSlug={ctx.org.slug} connectionId={conn.id} initial={status} />
        </Card>
        <Card>
          <CardHeader title="Settings" />
          {ctx.can("connection", "update") ? (
            <ConnectionForm orgSlug={ctx.org.slug} kind={conn.kind} existing={{ id: conn.id, name: conn.name, settings: conn.settings, hasSecret: conn.hasSecret }} />
          ) : (
            <CardBody>You can see this connection but not change it.</CardBody>
          )}
        </Card>
        {ctx.can("connection", "delete") && (
          <Card>
            <CardHeader
              title="Delete"
              description={
                usedBy.length > 0 ? `Used by ${usedBy.map((w) => `“${w.name}”`).join(", ")}: choose another connection there before deleting this one.` : "No workflow uses this connection."
              }
            />
            <CardBody>
              <DeleteConnectionButton orgSlug={ctx.org.slug} connectionId={conn.id} name={conn.name} />
            </CardBody>
          </Card>
        )}
      </div>
    </>
  );
}

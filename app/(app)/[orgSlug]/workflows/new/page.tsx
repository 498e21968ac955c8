import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/app/_components/page-header";
import { requireOrgPermission } from "@/lib/server/tenancy/org-context";
import { listConnectionNames } from "@/lib/server/services/connections/list-connections";
import { getEditorCatalog, RULE_INFO } from "@/lib/server/services/workflows/editor-catalog";
import { WorkflowEditor } from "../_editor/workflow-editor";

export const metadata: Metadata = { title: "New workflow" };

export default async function NewWorkflowPage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const ctx = await requireOrgPermission(orgSlug, "workflow", "create");
  const connections = await listConnectionNames({ orgId: ctx.org.id });
  // With exactly one PostgreSQL connection there is nothing to choose: start from it.
  const pg = connections.filter((c) => c.kind === "POSTGRES");
  const source = pg.length === 1 ? pg[0] : null;
  const catalog = source ? await getEditorCatalog({ orgId: ctx.org.id, connectionId: source.id }) : null;
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-3 text-sm text-slate-500">
        <Link href={`/${ctx.org.slug}/workflows`} className="hover:text-slate-900">
          Workflows
        </Link>
      </nav>
      <PageHeader title="New workflow" description="Choose a source, the tables to copy and the rules for personal data, then where the twin goes." />
      <WorkflowEditor
        orgSlug={ctx.org.slug}
        workflow={null}
        initial={{ name: "", config: null, schedule: { enabled: false, cron: "" }, migrationDryRun: false }}
        connections={connections}
        catalog={catalog}
        ruleInfo={RULE_INFO}
        readOnly={false}
        canSeeConnections={ctx.can("connection", "read")}
      />
    </>
  );
}

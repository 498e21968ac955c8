import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Alert } from "@/app/_components/alert";
import { Badge } from "@/app/_components/badge";
import { ButtonLink } from "@/app/_components/button";
import { Card, CardBody, CardHeader } from "@/app/_components/card";
import { EmptyState } from "@/app/_components/empty-state";
import { PageHeader } from "@/app/_components/page-header";
import { AppError } from "@/lib/server/errors";
import { requireOrgPermission } from "@/lib/server/tenancy/org-context";
import { listCustomizations } from "@/lib/server/services/customizations/list-customizations";
import { CustomizationActions, CustomizationForm } from "./customization-form";

export const metadata: Metadata = { title: "Customizations" };

const TYPE_LABELS: Record<string, string> = { text: "Text", number: "Number", url: "URL", date: "Date", boolean: "Yes / no" };

// Demo customizations of a workflow: statements run on the twin after each load, with values
// the salesperson fills in. Admins define them here; everyone else sees what exists.
export default async function CustomizationsPage({ params }: { params: Promise<{ orgSlug: string; id: string }> }) {
  const { orgSlug, id } = await params;
  const ctx = await requireOrgPermission(orgSlug, "customization_values", "read");
  const data = await listCustomizations({ orgId: ctx.org.id, workflowId: id }).catch((err) => {
    if (err instanceof AppError && err.code === "NOT_FOUND") notFound();
    throw err;
  });
  const canEdit = ctx.can("workflow", "update");
  const demoHref = `/${ctx.org.slug}/demo/${data.workflow.id}`;
  return (
    <>
      <PageHeader
        title={`Customizations of ${data.workflow.name}`}
        description="SQL run on the digital twin after each load, with values filled in per demo (a prospect's company name, logo, dates)."
        actions={data.customizations.length > 0 && ctx.can("customization_values", "update") ? <ButtonLink href={demoHref} variant="secondary">Fill in the next demo</ButtonLink> : undefined}
      />
      <div className="space-y-6">
        {!data.workflow.ready && (
          <Alert tone="info" title="Set up the workflow first">
            Choose its source, tables and output and save it; then customizations can be added.
          </Alert>
        )}
        {data.customizations.length === 0 && data.workflow.ready && !canEdit && (
          <Card>
            <EmptyState title="No customizations" description="An admin can add statements here that personalise each demo." />
          </Card>
        )}
        {data.customizations.map((c) => (
          <Card key={c.name}>
            <CardHeader title={c.name} description={`${c.params.length} parameter${c.params.length === 1 ? "" : "s"}`} />
            <CardBody className="space-y-3">
              {/* The SQL is for admins; the salesperson sees only what they fill in. */}
              {canEdit && (
                <pre className="overflow-x-auto rounded-md bg-slate-900 px-4 py-3 font-mono text-xs text-slate-100" data-testid="customization-statement">
                  {c.statement}
                </pre>
              )}
              {c.params.length > 0 && (
                <ul className="space-y-1 text-sm">
                  {c.params.map((p) => (
                    <li key={p.name} className="flex flex-wrap items-center gap-2">
                      <span className="font-medium text-slate-900">{p.label}</span>
                      <Badge>{TYPE_LABELS[p.type] ?? p.type}</Badge>
                      <code className="text-xs text-slate-500">%({p.name})s</code>
                      {p.help && <span className="text-slate-500">— {p.help}</span>}
                      <span className="ml-auto text-xs text-slate-500">
                        Current value: {data.values[p.name] === undefined ? <em>not set</em> : String(data.values[p.name])}
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </CardBody>
            {canEdit && <CustomizationActions orgSlug={ctx.org.slug} workflowId={data.workflow.id} customization={c} />}
          </Card>
        ))}
        {canEdit && data.workflow.ready && (
          <Card>
            <CardHeader title="Add a customization" description="Saving creates a new version of the workflow; the next run applies it." />
            <CardBody>
              <CustomizationForm orgSlug={ctx.org.slug} workflowId={data.workflow.id} />
            </CardBody>
          </Card>
        )}
      </div>
    </>
  );
}

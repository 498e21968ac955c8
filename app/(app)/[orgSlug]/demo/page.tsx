import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/app/_components/card";
import { EmptyState } from "@/app/_components/empty-state";
import { Icon } from "@/app/_components/icons";
import { PageHeader } from "@/app/_components/page-header";
import { requireOrgPermission } from "@/lib/server/tenancy/org-context";
import { listDemoWorkflows } from "@/lib/server/services/customizations/list-customizations";

export const metadata: Metadata = { title: "Demos" };

// The salesperson's start page: every workflow that has demo customizations.
export default async function DemosPage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const ctx = await requireOrgPermission(orgSlug, "customization_values", "read");
  const demos = await listDemoWorkflows({ orgId: ctx.org.id });
  return (
    <>
      <PageHeader title="Demos" description="Personalise the demo database for your next prospect, then reset it in one click." />
      {demos.length === 0 ? (
        <Card>
          <EmptyState
            icon={<Icon name="play" className="size-8" />}
            title="No demos set up yet"
            description={ctx.can("workflow", "update") ? "Open a workflow's Customizations tab and add a statement with parameters (for example the prospect's company name)." : "Ask an admin to add customizations to a workflow; it then shows up here."}
          />
        </Card>
      ) : (
        <ul className="grid gap-4 sm:grid-cols-2">
          {demos.map((d) => (
            <li key={d.id}>
              <Link href={`/${ctx.org.slug}/demo/${d.id}`} className="block rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200 transition hover:ring-brand-300 focus-visible:outline-2 focus-visible:outline-brand-600" data-testid="demo-card">
                <p className="font-semibold text-slate-900">{d.name}</p>
                <p className="mt-1 text-sm text-slate-500">Next demo: {d.params.map((p) => p.label).join(", ")}</p>
                <p className="mt-3 text-sm font-medium text-brand-700">Prepare the next demo →</p>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

import type { Metadata } from "next";
import { Card, CardBody, CardHeader } from "@/app/_components/card";
import { EmptyState } from "@/app/_components/empty-state";
import { Icon } from "@/app/_components/icons";
import { PageHeader } from "@/app/_components/page-header";
import { ButtonLink } from "@/app/_components/button";
import { getOrgContext } from "@/lib/server/org-context";

export const metadata: Metadata = { title: "Dashboard" };

// The organisation's home. Workflows, runs and schedules arrive with the product UI; until
// then it says honestly that there is nothing here yet and what comes next.
export default async function DashboardPage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const ctx = await getOrgContext(orgSlug);
  const first = ctx.user.name.split(" ")[0];
  return (
    <>
      <PageHeader title={`Welcome, ${first}`} description={`${ctx.org.name} — make safe, PII-free copies of your production PostgreSQL.`} />
      <div className="grid gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <CardHeader title="Workflows" description="Last run per workflow and the next scheduled run." />
          <EmptyState
            icon={<Icon name="flow" className="size-8" />}
            title="No workflows yet"
            description="A workflow copies chosen tables from a source database, redacts personal data column by column, and loads a digital twin or CSV files on S3."
          />
        </Card>
        <Card>
          <CardHeader title="Getting started" />
          <CardBody>
            <ol className="space-y-3 text-sm text-slate-600">
              <li className="flex gap-3">
                <span className="flex size-6 shrink-0 items-center justify-center rounded-full bg-brand-50 text-xs font-semibold text-brand-700">1</span>
                Connect a source database and a target for the twin.
              </li>
              <li className="flex gap-3">
                <span className="flex size-6 shrink-0 items-center justify-center rounded-full bg-brand-50 text-xs font-semibold text-brand-700">2</span>
                Build a workflow: pick tables and a redaction rule per column.
              </li>
              <li className="flex gap-3">
                <span className="flex size-6 shrink-0 items-center justify-center rounded-full bg-brand-50 text-xs font-semibold text-brand-700">3</span>
                Run it now or on a schedule, and invite your team.
              </li>
            </ol>
            {!ctx.can("connection", "create") && (
              <p className="mt-4 rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-600 ring-1 ring-slate-200 ring-inset">
                Your role here is {ctx.role.toLowerCase()}: admins set up connections and workflows.
              </p>
            )}
            {ctx.can("invite", "create") && (
              <ButtonLink href={`/${ctx.org.slug}/settings/members`} variant="secondary" size="sm" className="mt-5">
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

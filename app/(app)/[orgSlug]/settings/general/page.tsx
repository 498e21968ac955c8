import type { Metadata } from "next";
import { Card, CardHeader } from "@/app/_components/card";
import { PageHeader } from "@/app/_components/page-header";
import { requireOrgPermission } from "@/lib/server/tenancy/org-context";
import { getUnreviewedColumns } from "@/lib/server/services/orgs/set-unreviewed-columns";
import { DeleteOrgForm, RenameOrgForm, UnreviewedColumnsForm } from "./org-forms";

export const metadata: Metadata = { title: "Organisation settings" };

export default async function GeneralSettingsPage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const ctx = await requireOrgPermission(orgSlug, "org", "update");
  const policy = await getUnreviewedColumns({ orgId: ctx.org.id });
  return (
    <>
      <PageHeader title="Organisation" description="Name, privacy default and lifecycle of this organisation." />
      <div className="space-y-6">
        <Card>
          <CardHeader title="Name" description={`The URL stays /${ctx.org.slug}.`} />
          <RenameOrgForm orgSlug={ctx.org.slug} name={ctx.org.name} />
        </Card>
        <Card>
          <CardHeader
            title="Privacy by default"
            description="A column added to a source after its workflow was saved has not been reviewed: no rule, not marked keep as is. Runs never copy such a column raw."
          />
          <UnreviewedColumnsForm orgSlug={ctx.org.slug} policy={policy} />
        </Card>
        {ctx.can("org", "delete") && (
          <Card className="ring-red-200">
            <CardHeader title="Delete organisation" description="Deletes its connections, workflows, job history, invites and memberships. This cannot be undone." />
            <DeleteOrgForm orgSlug={ctx.org.slug} />
          </Card>
        )}
      </div>
    </>
  );
}

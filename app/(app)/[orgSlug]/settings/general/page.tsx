import { Suspense } from "react";
import type { Metadata } from "next";
import { Card, CardHeader } from "@/app/_components/card";
import { PageHeader } from "@/app/_components/page-header";
import { requireOrgPermission } from "@/lib/server/tenancy/org-context";
import { getUnreviewedColumns } from "@/lib/server/services/orgs/set-unreviewed-columns";
import { DeleteOrgForm, RenameOrgForm, UnreviewedColumnsForm } from "./org-forms";
import { SettingsSkeleton } from "../../skeletons";

export const metadata: Metadata = { title: "Organisation settings" };

// The permission check comes before the placeholder: once it shows, the response is a 200.
export default async function GeneralSettingsPage(props: Parameters<typeof GeneralSettings>[0]) {
  await requireOrgPermission((await props.params).orgSlug, "org", "update");
  return (
    <Suspense fallback={<SettingsSkeleton label="Loading the settings" forms={3} table={false} />}>
      <GeneralSettings {...props} />
    </Suspense>
  );
}

async function GeneralSettings({ params }: { params: Promise<{ orgSlug: string }> }) {
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

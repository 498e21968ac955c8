import { Suspense } from "react";
import type { Metadata } from "next";
import { Badge, RoleBadge } from "@/app/_components/badge";
import { Card, CardHeader } from "@/app/_components/card";
import { EmptyState } from "@/app/_components/empty-state";
import { Icon } from "@/app/_components/icons";
import { PageHeader } from "@/app/_components/page-header";
import { Table, TBody, Td, Th, THead } from "@/app/_components/table";
import { prisma } from "@/lib/server/db";
import { requireOrgPermission } from "@/lib/server/tenancy/org-context";
import { canAssignRole } from "@/lib/server/permissions";
import { appOrigin } from "@/lib/server/request-info";
import { listApiKeys } from "@/lib/server/services/api-keys/list-api-keys";
import { CreateApiKeyForm, RevokeKeyButton } from "./api-key-controls";
import { RelativeTime } from "@/app/_components/relative-time";
import { SettingsSkeleton } from "../../skeletons";

export const metadata: Metadata = { title: "API keys" };

// The permission check comes before the placeholder: once it shows, the response is a 200.
export default async function ApiKeysPage(props: Parameters<typeof ApiKeys>[0]) {
  await requireOrgPermission((await props.params).orgSlug, "api_key", "read");
  return (
    <Suspense fallback={<SettingsSkeleton label="Loading the API keys" />}>
      <ApiKeys {...props} />
    </Suspense>
  );
}

// Organisation API keys for CI and the CLI (`doppel run --workflow <id> --wait`).
async function ApiKeys({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const ctx = await requireOrgPermission(orgSlug, "api_key", "read");
  const [keys, firstWorkflow, origin] = await Promise.all([
    listApiKeys({ orgId: ctx.org.id }),
    prisma.workflow.findFirst({ where: { orgId: ctx.org.id }, orderBy: { createdAt: "asc" }, select: { id: true } }),
    appOrigin(),
  ]);
  const roles = (["EDITOR", "VIEWER", "ADMIN"] as const).filter((r) => canAssignRole(ctx.role, r));
  return (
    <>
      <PageHeader title="API keys" description="Let CI pipelines start runs and wait for them: POST /api/v1/workflows/{id}/runs, then GET /api/v1/runs/{id}." />
      <div className="space-y-6">
        {ctx.can("api_key", "create") && (
          <Card>
            <CardHeader title="Create a key" description="The key is shown once. Only a hash of it is stored." />
            <CreateApiKeyForm orgSlug={ctx.org.slug} roles={[...roles]} origin={origin} exampleWorkflowId={firstWorkflow?.id ?? null} />
          </Card>
        )}
        <Card>
          <CardHeader title={`Keys (${keys.filter((k) => !k.revokedAt).length} active)`} />
          {keys.length === 0 ? (
            <EmptyState icon={<Icon name="key" className="size-8" />} title="No API keys yet" description="Create one for each CI system, so that you can revoke them one by one." />
          ) : (
            <Table caption="API keys" stack>
              <THead>
                <Th>Name</Th>
                <Th>Key</Th>
                <Th>Role</Th>
                <Th>Created</Th>
                <Th>Last used</Th>
                <Th className="text-right">
                  <span className="sr-only">Actions</span>
                </Th>
              </THead>
              <TBody>
                {keys.map((k) => (
                  <tr key={k.id} data-testid="api-key-row" data-name={k.name}>
                    <Td className="font-medium text-slate-900">{k.name}</Td>
                    <Td label="Key" className="font-mono text-xs text-slate-600">{k.prefix}…</Td>
                    <Td label="Role">
                      <RoleBadge role={k.role as "ADMIN" | "EDITOR" | "VIEWER"} />
                    </Td>
                    <Td label="Created" className="whitespace-nowrap text-slate-500"><RelativeTime date={k.createdAt} /></Td>
                    <Td label="Last used" className="whitespace-nowrap text-slate-500">{k.lastUsedAt ? <RelativeTime date={k.lastUsedAt} /> : "Never"}</Td>
                    <Td className="text-right">
                      {k.revokedAt ? <Badge tone="red">Revoked</Badge> : ctx.can("api_key", "delete") && <RevokeKeyButton orgSlug={ctx.org.slug} keyId={k.id} name={k.name} />}
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

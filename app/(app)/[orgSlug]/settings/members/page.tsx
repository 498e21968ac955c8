import { Suspense } from "react";
import type { Metadata } from "next";
import { RoleBadge } from "@/app/_components/badge";
import { Card, CardHeader } from "@/app/_components/card";
import { EmptyState } from "@/app/_components/empty-state";
import { PageHeader } from "@/app/_components/page-header";
import { Table, TBody, Td, Th, THead } from "@/app/_components/table";
import { INVITE_ROLES } from "@/lib/schemas/org";
import { requireOrgPermission } from "@/lib/server/tenancy/org-context";
import { canAssignRole, ROLES } from "@/lib/server/permissions";
import { listPendingInvites } from "@/lib/server/services/invites/list-invites";
import { listMembers } from "@/lib/server/services/members/list-members";
import { InviteForm, InviteRowActions, MemberRoleSelect, MemberRowActions } from "./member-controls";
import { RelativeTime } from "@/app/_components/relative-time";
import { SettingsSkeleton } from "../../skeletons";

export const metadata: Metadata = { title: "Members" };


// The permission check comes before the placeholder: once it shows, the response is a 200.
export default async function MembersPage(props: Parameters<typeof Members>[0]) {
  await requireOrgPermission((await props.params).orgSlug, "member", "read");
  return (
    <Suspense fallback={<SettingsSkeleton label="Loading the members" />}>
      <Members {...props} />
    </Suspense>
  );
}

async function Members({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const ctx = await requireOrgPermission(orgSlug, "member", "read");
  const [members, invites] = await Promise.all([
    listMembers({ orgId: ctx.org.id }),
    ctx.can("invite", "read") ? listPendingInvites({ orgId: ctx.org.id }) : Promise.resolve([]),
  ]);
  const assignable = ROLES.filter((r) => canAssignRole(ctx.role, r));
  const ownerCount = members.filter((m) => m.role === "OWNER").length;
  const now = Date.now();
  return (
    <>
      <PageHeader title="Members" description={`People with access to ${ctx.org.name} and what they can do.`} />
      <div className="space-y-6">
        {ctx.can("invite", "create") && (
          <Card>
            <CardHeader title="Invite a teammate" description="They get a link that works once, for 7 days, for that email address only." />
            <InviteForm orgSlug={ctx.org.slug} roles={INVITE_ROLES.filter((r) => canAssignRole(ctx.role, r))} />
          </Card>
        )}
        <Card>
          <CardHeader title={`Members (${members.length})`} />
          <Table caption="Members" stack>
            <THead>
              <Th>Name</Th>
              <Th>Role</Th>
              <Th>Joined</Th>
              <Th className="text-right">
                <span className="sr-only">Actions</span>
              </Th>
            </THead>
            <TBody>
              {members.map((m) => {
                const self = m.user.id === ctx.user.id;
                const lastOwner = m.role === "OWNER" && ownerCount <= 1;
                const mayManage = ctx.can("member", "update") && canAssignRole(ctx.role, m.role);
                return (
                  <tr key={m.id} data-testid="member-row" data-email={m.user.email}>
                    <Td>
                      <div className="font-medium text-slate-900">
                        {m.user.name}
                        {self && <span className="ml-1.5 text-xs font-normal text-slate-500">(you)</span>}
                      </div>
                      <div className="text-xs text-slate-500">{m.user.email}</div>
                    </Td>
                    <Td label="Role">
                      {mayManage && !lastOwner ? <MemberRoleSelect orgSlug={ctx.org.slug} membershipId={m.id} name={m.user.name} role={m.role} roles={assignable} /> : <RoleBadge role={m.role} />}
                    </Td>
                    <Td label="Joined" className="whitespace-nowrap text-slate-500"><RelativeTime date={m.createdAt} /></Td>
                    <Td className="text-right">
                      {mayManage && (
                        <MemberRowActions
                          orgSlug={ctx.org.slug}
                          membershipId={m.id}
                          name={m.user.name}
                          role={m.role}
                          lastOwner={lastOwner}
                          self={self}
                          canRemove={ctx.can("member", "delete")}
                          canTransfer={ctx.can("org", "transfer") && !self}
                        />
                      )}
                    </Td>
                  </tr>
                );
              })}
            </TBody>
          </Table>
        </Card>
        {ctx.can("invite", "read") && (
          <Card>
            <CardHeader title="Pending invites" description="Invites that have not been accepted yet. Resending creates a new link and a new 7-day expiry." />
            {invites.length === 0 ? (
              <EmptyState title="No pending invites" description="Invite a teammate above; their invite shows here until they accept it." />
            ) : (
              <Table caption="Pending invites" stack>
                <THead>
                  <Th>Email</Th>
                  <Th>Role</Th>
                  <Th>Expires</Th>
                  <Th className="text-right">
                    <span className="sr-only">Actions</span>
                  </Th>
                </THead>
                <TBody>
                  {invites.map((i) => (
                    <tr key={i.id} data-testid="invite-row" data-email={i.email}>
                      <Td className="font-medium text-slate-900">{i.email}</Td>
                      <Td label="Role">
                        <RoleBadge role={i.role} />
                      </Td>
                      <Td label="Expires" className="whitespace-nowrap text-slate-500">{i.expiresAt.getTime() <= now ? <span className="text-amber-700">Expired</span> : <RelativeTime date={i.expiresAt} />}</Td>
                      <Td className="text-right">
                        <InviteRowActions orgSlug={ctx.org.slug} inviteId={i.id} email={i.email} canResend={ctx.can("invite", "update")} canRevoke={ctx.can("invite", "delete")} />
                      </Td>
                    </tr>
                  ))}
                </TBody>
              </Table>
            )}
          </Card>
        )}
      </div>
    </>
  );
}

"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert } from "@/app/_components/alert";
import { Button } from "@/app/_components/button";
import { controlClass, Input, Select } from "@/app/_components/field";
import { useAction } from "@/app/_components/use-action";
import { fieldError, formError, useFormAction } from "@/app/_components/use-form-action";
import { changeRoleAction, inviteMemberAction, removeMemberAction, resendInviteAction, revokeInviteAction, transferOwnershipAction } from "./actions";

type Role = "OWNER" | "ADMIN" | "EDITOR" | "VIEWER";
const LABELS: Record<Role, string> = { OWNER: "Owner", ADMIN: "Admin", EDITOR: "Editor", VIEWER: "Viewer" };
const AS_ROLE: Record<Role, string> = { OWNER: "the owner", ADMIN: "an admin", EDITOR: "an editor", VIEWER: "a viewer" };
const HELP: Record<Role, string> = {
  OWNER: "Everything, including deleting the organisation.",
  ADMIN: "Members, connections, workflows, API keys, audit log.",
  EDITOR: "Fills in demo values and runs workflows. No connections or secrets.",
  VIEWER: "Read-only.",
};

type Delivery = { email: string; emailed: boolean; link: string | null };

function InviteLinkBox({ delivery }: { delivery: Delivery }) {
  const [copied, setCopied] = useState(false);
  if (delivery.emailed) return <Alert tone="success">Invite emailed to {delivery.email}.</Alert>;
  return (
    <Alert tone="success" title={`Invite created for ${delivery.email}`}>
      <p>Email is not configured (SMTP_URL), so send them this link yourself. It works once and expires in 7 days.</p>
      <div className="mt-2 flex gap-2">
        <input readOnly value={delivery.link ?? ""} aria-label="Invite link" data-testid="invite-link" className={`${controlClass} font-mono text-xs`} onFocus={(e) => e.currentTarget.select()} />
        <Button
          type="button"
          variant="secondary"
          size="md"
          onClick={async () => {
            await navigator.clipboard?.writeText(delivery.link ?? "").catch(() => undefined);
            setCopied(true);
          }}
        >
          {copied ? "Copied" : "Copy"}
        </Button>
      </div>
    </Alert>
  );
}

/** `roles`: what an invite may give (never Owner: ownership is transferred from the members list). */
export function InviteForm({ orgSlug, roles }: { orgSlug: string; roles: readonly Exclude<Role, "OWNER">[] }) {
  const router = useRouter();
  const [state, formAction, pending] = useFormAction(
    (input) => inviteMemberAction(orgSlug, { email: input.email ?? "", role: (input.role ?? "") as Exclude<Role, "OWNER"> }),
    () => router.refresh(),
    (d) => (d.emailed ? `Invite emailed to ${d.email}.` : `Invite created for ${d.email}: send them the link below.`),
  );
  const message = formError(state);
  const result = state.result;
  return (
    <div className="space-y-4 px-5 py-4">
      <form action={formAction} className="grid gap-4 sm:grid-cols-[1fr_12rem_auto] sm:items-start" noValidate>
        <Input label="Email address" name="email" type="email" required placeholder="teammate@company.com" error={fieldError(state, "email")} />
        <Select label="Role" name="role" defaultValue={state.values.role ?? "VIEWER"} error={fieldError(state, "role")}>
          {roles.map((r) => (
            <option key={r} value={r}>
              {LABELS[r]}
            </option>
          ))}
        </Select>
        <Button type="submit" pending={pending} className="sm:mt-7">
          Send invite
        </Button>
      </form>
      <dl className="grid gap-x-6 gap-y-1 text-xs text-slate-500 sm:grid-cols-2">
        {roles.map((r) => (
          <div key={r} className="flex gap-1.5">
            <dt className="font-medium text-slate-700">{LABELS[r]}:</dt>
            <dd>{HELP[r]}</dd>
          </div>
        ))}
      </dl>
      <p className="text-xs text-slate-500">Owners are not invited: invite an admin, then an owner transfers ownership from the members list.</p>
      {message && <Alert tone="error">{message}</Alert>}
      {result?.ok && <InviteLinkBox delivery={result.data} />}
    </div>
  );
}

const rowError = (error: string | undefined) =>
  error && (
    <p className="max-w-xs text-left text-xs text-red-700" role="alert">
      {error}
    </p>
  );

/** The member's role, as a select for who may change it (the Role column shows it once: here or as a badge). */
export function MemberRoleSelect({ orgSlug, membershipId, name, role, roles }: { orgSlug: string; membershipId: string; name: string; role: Role; roles: readonly Role[] }) {
  const { error, pending, run } = useAction();
  // The role chosen stays shown while it is saved (the page's refresh then brings it from the server).
  const [choice, setChoice] = useState<Role>();
  return (
    <div className="flex flex-col items-start gap-1.5">
      <label className="sr-only" htmlFor={`role-${membershipId}`}>
        Role of {name}
      </label>
      <select
        id={`role-${membershipId}`}
        className={`${controlClass} w-32 min-w-32 py-1.5`}
        value={pending && choice ? choice : role}
        disabled={pending}
        onChange={(e) => {
          const next = e.target.value as Role;
          setChoice(next);
          run(() => changeRoleAction(orgSlug, { membershipId, role: next }), { success: `${name} is now ${AS_ROLE[next]}.` });
        }}
      >
        {roles.map((r) => (
          <option key={r} value={r}>
            {LABELS[r]}
          </option>
        ))}
      </select>
      {rowError(error)}
    </div>
  );
}

export function MemberRowActions(props: {
  orgSlug: string;
  membershipId: string;
  name: string;
  role: Role;
  lastOwner: boolean;
  self: boolean;
  canRemove: boolean;
  canTransfer: boolean;
}) {
  const { error, pending, run } = useAction();
  const { orgSlug, membershipId } = props;
  return (
    <div className="flex flex-col items-end gap-1.5">
      <div className="flex items-center justify-end gap-2">
        {props.canTransfer && props.role !== "OWNER" && (
          <Button
            variant="ghost"
            size="sm"
            disabled={pending}
            onClick={() => {
              if (confirm(`Make ${props.name} the owner? You will become an admin.`)) run(() => transferOwnershipAction(orgSlug, { membershipId }), { success: `${props.name} is now the owner; you are an admin.` });
            }}
          >
            Make owner
          </Button>
        )}
        {props.canRemove && !props.lastOwner && (
          <Button
            variant="ghost"
            size="sm"
            className="text-red-700 hover:bg-red-50"
            disabled={pending}
            onClick={() => {
              if (confirm(props.self ? "Leave this organisation?" : `Remove ${props.name} from the organisation?`))
                run(() => removeMemberAction(orgSlug, { membershipId }), { success: props.self ? "You left the organisation." : `${props.name} was removed from the organisation.` });
            }}
          >
            {props.self ? "Leave" : "Remove"}
          </Button>
        )}
      </div>
      {rowError(error)}
    </div>
  );
}

export function InviteRowActions({ orgSlug, inviteId, email, canResend, canRevoke }: { orgSlug: string; inviteId: string; email: string; canResend: boolean; canRevoke: boolean }) {
  const { error, pending, run } = useAction();
  const [delivery, setDelivery] = useState<Delivery>();
  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex justify-end gap-2">
        {canResend && (
          <Button
            variant="secondary"
            size="sm"
            disabled={pending}
            onClick={() =>
              run(async () => {
                const res = await resendInviteAction(orgSlug, { inviteId });
                if (res.ok) setDelivery(res.data);
                return res;
              }, { success: (d) => (d.emailed ? `New invite emailed to ${d.email}.` : `New invite link created for ${d.email}.`) })
            }
          >
            Resend
          </Button>
        )}
        {canRevoke && (
          <Button
            variant="ghost"
            size="sm"
            className="text-red-700 hover:bg-red-50"
            disabled={pending}
            onClick={() => {
              if (confirm(`Revoke the invite for ${email}?`)) run(() => revokeInviteAction(orgSlug, { inviteId }), { success: `Invite for ${email} revoked.` });
            }}
          >
            Revoke
          </Button>
        )}
      </div>
      {rowError(error)}
      {delivery && (
        <div className="w-full max-w-md text-left">
          <InviteLinkBox delivery={delivery} />
        </div>
      )}
    </div>
  );
}

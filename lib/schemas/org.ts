import { z } from "zod";

// Organisation, member and invite contracts, shared by the forms and the server actions.

export const ZRole = z.enum(["OWNER", "ADMIN", "EDITOR", "VIEWER"], { message: "Choose a role." });

export const ZOrgName = z.string().trim().min(2, "Use at least 2 characters.").max(60, "Use at most 60 characters.");

export const ZCreateOrg = z.object({ name: ZOrgName });
export const ZRenameOrg = z.object({ name: ZOrgName });
export const ZDeleteOrg = z.object({ confirmSlug: z.string().trim() });

/** What a run does with a source column nobody has reviewed (never "copy raw"). */
export const UNREVIEWED_COLUMNS_POLICIES = ["FAIL", "NULL"] as const;
export const UNREVIEWED_COLUMNS_LABELS: Record<(typeof UNREVIEWED_COLUMNS_POLICIES)[number], string> = {
  FAIL: "Stop the run (nothing is written) until they are reviewed",
  NULL: "Copy them as NULL until they are reviewed",
};
export const ZSetUnreviewedColumns = z.object({ policy: z.enum(UNREVIEWED_COLUMNS_POLICIES, { message: "Choose what a run does with new columns." }) });

/** Roles an invite can give. Ownership is handed over by an owner (members page), never invited. */
export const INVITE_ROLES = ["ADMIN", "EDITOR", "VIEWER"] as const;
export type TInviteRole = (typeof INVITE_ROLES)[number];
export const OWNER_INVITE_MESSAGE = "Invite as admin, editor or viewer. To make someone an owner, invite them and then transfer ownership from the members list.";
export const ZInviteRole = z.enum(INVITE_ROLES, { message: OWNER_INVITE_MESSAGE });

export const ZInviteMember = z.object({
  email: z.string().trim().toLowerCase().max(254).pipe(z.email({ message: "Enter a valid email address." })),
  role: ZInviteRole,
});
export const ZInviteId = z.object({ inviteId: z.uuid({ message: "Unknown invite." }) });

export const ZChangeRole = z.object({ membershipId: z.uuid({ message: "Unknown member." }), role: ZRole });
export const ZMembershipId = z.object({ membershipId: z.uuid({ message: "Unknown member." }) });

export const ZAcceptInvite = z.object({ token: z.string().min(10).max(200) });

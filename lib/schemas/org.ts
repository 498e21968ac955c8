import { z } from "zod";

// Organisation, member and invite contracts, shared by the forms and the server actions.

export const ZRole = z.enum(["OWNER", "ADMIN", "EDITOR", "VIEWER"], { message: "Choose a role." });

export const ZOrgName = z.string().trim().min(2, "Use at least 2 characters.").max(60, "Use at most 60 characters.");

export const ZCreateOrg = z.object({ name: ZOrgName });
export const ZRenameOrg = z.object({ name: ZOrgName });
export const ZDeleteOrg = z.object({ confirmSlug: z.string().trim() });

export const ZInviteMember = z.object({
  email: z.string().trim().toLowerCase().max(254).pipe(z.email({ message: "Enter a valid email address." })),
  role: ZRole,
});
export const ZInviteId = z.object({ inviteId: z.uuid({ message: "Unknown invite." }) });

export const ZChangeRole = z.object({ membershipId: z.uuid({ message: "Unknown member." }), role: ZRole });
export const ZMembershipId = z.object({ membershipId: z.uuid({ message: "Unknown member." }) });

export const ZAcceptInvite = z.object({ token: z.string().min(10).max(200) });

"use client";

import { usePathname } from "next/navigation";
import { ButtonLink } from "./button";

// The 404 page's words: the page's address says which organisation was meant (its first part),
// and only the signed-in user's own organisations are compared with it (nothing is revealed
// about any other).

type Org = { slug: string; name: string; role: string };
/** Only these roles have pages they cannot open (owners and admins reach every page of the organisation). */
const LIMITED_ROLES: Record<string, string> = { EDITOR: "editor", VIEWER: "viewer" };

export function NotFoundHelp({ signedIn, orgs }: { signedIn: boolean; orgs: Org[] }) {
  const slug = usePathname()?.split("/")[1];
  const member = orgs.find((o) => o.slug === slug);
  if (member) {
    return (
      <>
        <p className="mt-2 max-w-md text-sm text-slate-500" data-testid="not-found-member">
          There is nothing at this address in {member.name}: it may have been deleted or moved, or the link is mistyped
          {LIMITED_ROLES[member.role] ? `, or it is a page your role (${LIMITED_ROLES[member.role]}) cannot open` : ""}.
        </p>
        <ButtonLink href={`/${member.slug}`} variant="secondary" className="mt-6">
          Back to {member.name}
        </ButtonLink>
      </>
    );
  }
  return (
    <>
      <p className="mt-2 max-w-md text-sm text-slate-500" data-testid="not-found-other">
        This page doesn&apos;t exist, or it belongs to an organisation you are not a member of. If someone sent you this link, ask them to invite you to their organisation.
      </p>
      <ButtonLink href={signedIn ? "/" : "/sign-in"} variant="secondary" className="mt-6">
        {signedIn && orgs.length ? "Back to my organisation" : signedIn ? "Back to Doppel" : "Sign in"}
      </ButtonLink>
    </>
  );
}

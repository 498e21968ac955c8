import { redirect } from "next/navigation";
import { homeOrgSlug } from "@/lib/server/services/orgs/home-org";
import { getSessionUser } from "@/lib/server/session";

// "/" sends a signed-in user to the organisation they last opened (else their first one),
// everyone else to sign-in. Sign-in lands here unless it was sent somewhere else.
export default async function Home() {
  const user = await getSessionUser();
  if (!user) redirect("/sign-in");
  const slug = await homeOrgSlug({ userId: user.id });
  redirect(slug ? `/${slug}` : "/orgs/new");
}

import { redirect } from "next/navigation";
import { listUserOrgs } from "@/lib/server/services/orgs/list-user-orgs";
import { getSessionUser } from "@/lib/server/session";

// "/" sends a signed-in user to their first organisation, everyone else to sign-in.
export default async function Home() {
  const user = await getSessionUser();
  if (!user) redirect("/sign-in");
  const [first] = await listUserOrgs({ userId: user.id });
  redirect(first ? `/${first.slug}` : "/orgs/new");
}

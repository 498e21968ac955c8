import { Logo } from "./_components/logo";
import { NotFoundHelp } from "./_components/not-found-help";
import { listUserOrgs } from "@/lib/server/services/orgs/list-user-orgs";
import { getSessionUser } from "@/lib/server/session";

// One 404 for a missing page, a missing object, another organisation's object and a page the
// role cannot open (they must look the same). What it says depends only on who asks: a member of
// the organisation in the address is pointed back to it, anyone else is told to ask for an invite.
export default async function NotFound() {
  const user = await getSessionUser();
  const orgs = user ? (await listUserOrgs({ userId: user.id })).map((o) => ({ slug: o.slug, name: o.name, role: o.role })) : [];
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4 text-center">
      <Logo className="mb-8 text-xl" />
      <p className="text-sm font-semibold text-brand-600">404</p>
      <h1 className="mt-2 text-2xl font-semibold text-slate-900">Page not found</h1>
      <NotFoundHelp signedIn={!!user} orgs={orgs} />
    </main>
  );
}

import Link from "next/link";
import { Logo } from "@/app/_components/logo";
import { getOrgContext } from "@/lib/server/tenancy/org-context";
import { rememberLastOrg } from "@/lib/server/services/orgs/home-org";
import { listUserOrgs } from "@/lib/server/services/orgs/list-user-orgs";
import { ORG_NAV } from "./nav";
import { OrgSidebar, OrgSwitcher, SidebarNav, UserMenu } from "./shell";

// Everything inside an organisation. Membership is resolved once here (getOrgContext is
// cached per request, pages call it again for free); a non-member gets the 404 page. Opening
// an organisation (the switcher's links open its dashboard) makes it the one "/" lands in.

export default async function OrgLayout({ children, params }: { children: React.ReactNode; params: Promise<{ orgSlug: string }> }) {
  const { orgSlug } = await params;
  const ctx = await getOrgContext(orgSlug);
  const [orgs] = await Promise.all([listUserOrgs({ userId: ctx.user.id }), rememberLastOrg({ userId: ctx.user.id, orgId: ctx.org.id })]);
  const items = ORG_NAV.filter((i) => ctx.can(...i.permission)).map(({ label, path, icon, section }) => ({ label, path, icon, section }));
  return (
    <div className="min-h-screen md:flex">
      <OrgSidebar
        brand={
          <Link href={`/${ctx.org.slug}`} aria-label="Dashboard">
            <Logo />
          </Link>
        }
      >
        <div className="px-3 pb-3">
          <OrgSwitcher current={{ slug: ctx.org.slug, name: ctx.org.name, role: ctx.role }} orgs={orgs.map((o) => ({ slug: o.slug, name: o.name, role: o.role }))} />
        </div>
        <SidebarNav orgSlug={ctx.org.slug} items={items} />
        <div className="mt-auto border-t border-slate-200 p-3">
          <UserMenu name={ctx.user.name} email={ctx.user.email} />
        </div>
      </OrgSidebar>
      <main className="min-w-0 flex-1">
        <div className="mx-auto max-w-5xl px-4 py-8 md:px-8">{children}</div>
      </main>
    </div>
  );
}

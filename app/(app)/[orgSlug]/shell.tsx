"use client";

import { signOut } from "next-auth/react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { RoleBadge } from "@/app/_components/badge";
import { cx } from "@/app/_components/cx";
import { Icon, type IconName } from "@/app/_components/icons";

type Role = "OWNER" | "ADMIN" | "EDITOR" | "VIEWER";
type Item = { label: string; path: string; icon: IconName; section: "main" | "settings" };

export function SidebarNav({ orgSlug, items }: { orgSlug: string; items: Item[] }) {
  const pathname = usePathname();
  const link = (item: Item) => {
    const href = item.path ? `/${orgSlug}/${item.path}` : `/${orgSlug}`;
    const active = item.path ? pathname === href || pathname.startsWith(`${href}/`) : pathname === href;
    return (
      <li key={item.path}>
        <Link
          href={href}
          aria-current={active ? "page" : undefined}
          className={cx(
            "flex items-center gap-2.5 rounded-md px-2.5 py-2 text-sm font-medium",
            active ? "bg-brand-50 text-brand-700" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900",
          )}
        >
          <Icon name={item.icon} className={cx("size-4", active ? "text-brand-600" : "text-slate-400")} />
          {item.label}
        </Link>
      </li>
    );
  };
  const main = items.filter((i) => i.section === "main");
  const settings = items.filter((i) => i.section === "settings");
  return (
    <nav aria-label="Organisation" className="flex-1 space-y-6 overflow-y-auto px-3">
      <ul className="space-y-0.5">{main.map(link)}</ul>
      {settings.length > 0 && (
        <div>
          <p className="px-2.5 pb-1 text-xs font-semibold tracking-wide text-slate-400 uppercase">Settings</p>
          <ul className="space-y-0.5">{settings.map(link)}</ul>
        </div>
      )}
    </nav>
  );
}

export function OrgSwitcher({ current, orgs }: { current: { slug: string; name: string; role: Role }; orgs: { slug: string; name: string; role: Role }[] }) {
  return (
    <details className="group relative">
      <summary
        className="flex cursor-pointer list-none items-center justify-between gap-2 rounded-md px-2.5 py-2 ring-1 ring-slate-200 hover:bg-slate-50 [&::-webkit-details-marker]:hidden"
        aria-label="Switch organisation"
      >
        <span className="min-w-0">
          <span className="block truncate text-sm font-medium text-slate-900" data-testid="current-org">
            {current.name}
          </span>
          <span className="mt-0.5 block" data-testid="current-role">
            <RoleBadge role={current.role} />
          </span>
        </span>
        <Icon name="chevronDown" className="size-4 shrink-0 text-slate-400 transition-transform group-open:rotate-180" />
      </summary>
      <div className="absolute inset-x-0 z-20 mt-1 rounded-md bg-white p-1 shadow-lg ring-1 ring-slate-200">
        <p className="px-2.5 pt-1.5 pb-1 text-xs font-semibold tracking-wide text-slate-400 uppercase">Organisations</p>
        <ul>
          {orgs.map((o) => (
            <li key={o.slug}>
              <a href={`/${o.slug}`} data-testid="switcher-org" className="flex items-center justify-between gap-2 rounded px-2.5 py-1.5 text-sm text-slate-700 hover:bg-slate-100">
                <span className="truncate">{o.name}</span>
                {o.slug === current.slug && <Icon name="check" className="size-4 text-brand-600" />}
              </a>
            </li>
          ))}
        </ul>
        <div className="mt-1 border-t border-slate-100 pt-1">
          <Link href="/orgs/new" className="flex items-center gap-2 rounded px-2.5 py-1.5 text-sm text-slate-700 hover:bg-slate-100">
            <Icon name="plus" className="size-4 text-slate-400" />
            New organisation
          </Link>
        </div>
      </div>
    </details>
  );
}

export function UserMenu({ name, email }: { name: string; email: string }) {
  return (
    <div className="flex items-center justify-between gap-2">
      <div className="min-w-0">
        <p className="truncate text-sm font-medium text-slate-900">{name}</p>
        <p className="truncate text-xs text-slate-500" data-testid="user-email">
          {email}
        </p>
      </div>
      <button
        type="button"
        onClick={async () => {
          // redirect: false + a relative navigation: stays on the host the user is on.
          await signOut({ redirect: false });
          window.location.assign("/sign-in");
        }}
        className="rounded-md p-2 text-slate-500 hover:bg-slate-100 hover:text-slate-900"
        aria-label="Sign out"
        title="Sign out"
      >
        <Icon name="logout" className="size-4" />
      </button>
    </div>
  );
}

"use client";

import { signOut } from "next-auth/react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import { RoleBadge } from "@/app/_components/badge";
import { cx } from "@/app/_components/cx";
import { Icon, type IconName } from "@/app/_components/icons";

type Role = "OWNER" | "ADMIN" | "EDITOR" | "VIEWER";
type Item = { label: string; path: string; icon: IconName; section: "main" | "settings" };

/**
 * The organisation's sidebar. From md up it sits beside the page. Below md it is a drawer under
 * a top bar, opened by the bar's menu button (a disclosure: aria-expanded + aria-controls).
 * Opening moves focus into the drawer; Escape, the backdrop, the button, a followed link or
 * tabbing out of the drawer close it, and Escape hands focus back to the button. Closed, the
 * drawer is display:none, so its links are neither seen nor reached by Tab.
 */
export function OrgSidebar({ brand, children }: { brand: React.ReactNode; children: React.ReactNode }) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const drawer = useRef<HTMLElement>(null);
  const close = useCallback((refocus: boolean) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  }, []);

  useEffect(() => {
    if (!open) return;
    const el = drawer.current;
    (el?.querySelector<HTMLElement>("a[aria-current=page]") ?? el?.querySelector<HTMLElement>("a, button, summary"))?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") close(true);
    };
    // Grown to desktop width: the sidebar is back beside the page, the drawer state goes.
    const desktop = window.matchMedia("(min-width: 48rem)");
    const onWide = () => desktop.matches && setOpen(false);
    // The page behind does not scroll while the drawer covers it.
    const overflow = document.body.style.overflow;
    document.body.style.overflow = "hidden";
    document.addEventListener("keydown", onKey);
    desktop.addEventListener("change", onWide);
    return () => {
      document.removeEventListener("keydown", onKey);
      desktop.removeEventListener("change", onWide);
      document.body.style.overflow = overflow;
    };
  }, [open, close]);

  return (
    <>
      <header className="sticky top-0 z-40 flex h-14 items-center gap-1 border-b border-slate-200 bg-white px-2 md:hidden">
        <button
          ref={button}
          type="button"
          aria-expanded={open}
          aria-controls="org-drawer"
          onClick={() => setOpen((o) => !o)}
          className="rounded-md p-2 text-slate-600 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-brand-600"
        >
          <Icon name={open ? "close" : "menu"} className="size-5" />
          <span className="sr-only">Menu</span>
        </button>
        {brand}
      </header>
      {open && <div className="fixed inset-x-0 top-14 bottom-0 z-30 bg-slate-900/40 md:hidden" aria-hidden onClick={() => close(false)} />}
      <aside
        id="org-drawer"
        ref={drawer}
        // A followed link closes the drawer (the new page shows underneath).
        onClick={(e) => {
          if ((e.target as Element).closest("a")) setOpen(false);
        }}
        onBlur={(e) => {
          // Tabbing out of the open drawer (not to its own button) closes it.
          const to = e.relatedTarget as Node | null;
          if (open && to && !drawer.current?.contains(to) && to !== button.current) setOpen(false);
        }}
        className={cx(
          "flex flex-col border-slate-200 bg-white md:sticky md:top-0 md:h-screen md:w-64 md:shrink-0 md:border-r",
          open ? "max-md:fixed max-md:top-14 max-md:bottom-0 max-md:left-0 max-md:z-40 max-md:w-72 max-md:max-w-[85vw] max-md:overflow-y-auto max-md:border-r max-md:pt-3 max-md:shadow-xl" : "max-md:hidden",
        )}
      >
        <div className="hidden h-14 items-center px-4 md:flex">{brand}</div>
        {children}
      </aside>
    </>
  );
}

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
            "flex items-center gap-2.5 rounded-md px-2.5 py-2 text-sm font-medium focus-visible:outline-2 focus-visible:outline-brand-600",
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

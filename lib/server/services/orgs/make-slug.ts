// Organisation slugs: lower-case ASCII words joined by hyphens. Slugs that would shadow an
// app route (/sign-in, /api, ...) are reserved.

export const RESERVED_SLUGS = new Set([
  "api", "sign-in", "sign-up", "sign-out", "invite", "orgs", "new", "settings", "admin", "_next", "static",
  "public", "favicon.ico", "robots.txt", "health", "auth", "login", "logout", "signup", "app", "help", "docs",
]);

export function slugify(name: string): string {
  const base = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/g, "");
  return base.length >= 2 && !RESERVED_SLUGS.has(base) ? base : `org-${base || "team"}`.slice(0, 40);
}

// Whether this server offers demo databases, and what `npm start` tells its children about them.
// On by default only for the embedded quick start: with DATABASE_URL the server is someone's
// own, and demo databases (and their roles) are made there only when DOPPEL_DEMO_DATABASES=on
// asks for it (npm test's browser run does).

export type Env = Record<string, string | undefined>;

export function demoDatabasesEnabled(env: Env): boolean {
  const setting = env.DOPPEL_DEMO_DATABASES?.trim().toLowerCase();
  if (setting === "on") return true;
  if (setting === "off") return false;
  if (setting) throw new Error(`DOPPEL_DEMO_DATABASES must be "on" or "off", not "${env.DOPPEL_DEMO_DATABASES}".`);
  return !env.DATABASE_URL;
}

export const DEFAULT_DEMO_PREFIX = "demo";

/**
 * The variables for the web app and the worker. On: the web app gets the demo server's admin
 * URL (it creates an organisation's pair when asked), and the egress allow-list gets that
 * server's host:port, added to what the operator set, so that connections may reach exactly it.
 * Off: an inherited DOPPEL_DEMO_ADMIN_URL is dropped, so nothing else can turn them on.
 */
export function demoEnvironment(env: Env, adminUrl: string): { web: Env; all: Env } {
  if (!demoDatabasesEnabled(env)) return { web: { DOPPEL_DEMO_ADMIN_URL: undefined }, all: { DOPPEL_DEMO_ADMIN_URL: undefined } };
  const u = new URL(adminUrl);
  const demoServer = `${u.hostname}:${u.port || "5432"}`;
  const allow = (env.DOPPEL_EGRESS_ALLOW ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  if (!allow.includes(demoServer)) allow.push(demoServer);
  return {
    web: { DOPPEL_DEMO_ADMIN_URL: adminUrl, DOPPEL_DEMO_DB_PREFIX: env.DOPPEL_DEMO_DB_PREFIX ?? DEFAULT_DEMO_PREFIX },
    all: { DOPPEL_DEMO_ADMIN_URL: undefined, DOPPEL_EGRESS_ALLOW: allow.join(",") },
  };
}

import { headers } from "next/headers";

// Client IP for rate limiting: the first X-Forwarded-For hop (Next's server fills the header from
// the socket only when the request has none), else X-Real-IP. A client talking to Next directly
// can send its own X-Forwarded-For, so per-IP limits are only as good as the proxy in front that
// overwrites it; the per-email limits do not depend on it.

export function ipFromHeaders(get: (name: string) => string | null | undefined): string {
  const xff = get("x-forwarded-for");
  const first = xff?.split(",")[0]?.trim();
  return first || get("x-real-ip")?.trim() || "unknown";
}

export async function requestIp(): Promise<string> {
  const h = await headers();
  return ipFromHeaders((n) => h.get(n));
}

/** The app's public origin for links in emails: NEXTAUTH_URL, else this request's host. */
export async function appOrigin(): Promise<string> {
  if (process.env.NEXTAUTH_URL) return process.env.NEXTAUTH_URL.replace(/\/+$/, "");
  const h = await headers();
  const host = h.get("x-forwarded-host") ?? h.get("host") ?? "localhost:3000";
  const proto = h.get("x-forwarded-proto") ?? "http";
  return `${proto}://${host}`;
}

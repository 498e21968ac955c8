// The security headers of every response (proxy.ts sets them). Scripts need a per-request nonce
// (Next.js reads it from the request's Content-Security-Policy header and puts it on the scripts
// it renders; 'strict-dynamic' lets those load their chunks), so no 'unsafe-inline' or
// 'unsafe-eval' for scripts. Styles keep 'unsafe-inline': React writes style attributes and
// Next injects style tags that carry no nonce. 'unsafe-eval' only under `next dev`, whose
// React refresh needs it.

export function contentSecurityPolicy(nonce: string, dev = process.env.NODE_ENV === "development"): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/**
 * HSTS only for https: the request came through a TLS-terminating proxy (X-Forwarded-Proto) or
 * directly over https, or the app's public URL (NEXTAUTH_URL) is https. Browsers ignore HSTS
 * received over plain http, and a plain-http install must not be told to require https.
 */
export function servedOverHttps(request: { url: string; headers: Headers }): boolean {
  const forwarded = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  if (forwarded) return forwarded === "https";
  return request.url.startsWith("https:") || (process.env.NEXTAUTH_URL ?? "").startsWith("https:");
}

export function securityHeaders(opts: { nonce: string; https: boolean }): Record<string, string> {
  return {
    "Content-Security-Policy": contentSecurityPolicy(opts.nonce),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    // Invite and verification links carry tokens in the path: never send them to other sites.
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    ...(opts.https ? { "Strict-Transport-Security": "max-age=63072000; includeSubDomains" } : {}),
  };
}

import { type NextRequest, NextResponse } from "next/server";
import { contentSecurityPolicy, securityHeaders, servedOverHttps } from "./lib/server/security-headers";

// Next.js 16 proxy (formerly middleware), on every request: a fresh CSP nonce for the page
// (passed on in the request's Content-Security-Policy header, where Next.js picks it up for its
// scripts, and as x-nonce for our own) and the security headers on the response.

export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const forwarded = new Headers(request.headers);
  forwarded.set("x-nonce", nonce);
  forwarded.set("content-security-policy", contentSecurityPolicy(nonce));
  const response = NextResponse.next({ request: { headers: forwarded } });
  for (const [name, value] of Object.entries(securityHeaders({ nonce, https: servedOverHttps(request) }))) response.headers.set(name, value);
  return response;
}

// The one check for every redirect to a URL a request supplied (sign-in's callbackUrl, next-auth's
// redirect callback, the verification page's next step): resolve it against the site's origin the
// way a browser would and keep it only if it stays there. String prefix checks are not enough:
// `/\evil.example` and `/<TAB>/evil.example` start with one slash but browsers read them as
// `//evil.example`. The result is the normalised path (never an absolute URL, never `//…`).

export function sameOriginPath(target: string | null | undefined, origin: string, fallback = "/"): string {
  if (!target) return fallback;
  try {
    const base = new URL(origin);
    const url = new URL(target, base);
    if (url.origin !== base.origin || url.pathname.startsWith("//")) return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}

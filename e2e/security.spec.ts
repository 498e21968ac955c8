import { type APIRequestContext, type Browser, expect, type Page, request as playwrightRequest, test } from "@playwright/test";
import { SignInPage, SignUpPage } from "./fixtures/auth-pages";
import { fakePerson, type Person } from "./fixtures/people";
import { seedApiWorkflow } from "./fixtures/seed-db";

// The account and HTTP guarantees of docs/SECURITY.md, over real HTTP against the production
// build: redirects stay on the site, failed sign-ins from one address never lock the owner out of
// another, a copied session cookie dies with sign-out, every response carries the security
// headers (and the pages still run under the CSP), a server action from another origin is
// refused, and an oversized body is refused with 413.

const baseURL = () => test.info().project.use.baseURL!;
const origin = () => new URL(baseURL()).origin;

/** A request context with its own cookie jar, speaking for the client IP `ip` (the app reads X-Forwarded-For). */
async function client(ip?: string): Promise<APIRequestContext> {
  return playwrightRequest.newContext({ baseURL: baseURL(), extraHTTPHeaders: ip ? { "x-forwarded-for": ip } : {} });
}

/** next-auth's credentials sign-in as a form post (what the sign-in page's signIn() sends). */
async function postSignIn(ctx: APIRequestContext, p: Pick<Person, "email" | "password">, callbackUrl = "/") {
  const { csrfToken } = await (await ctx.get("/api/auth/csrf")).json();
  const res = await ctx.post("/api/auth/callback/credentials", { form: { email: p.email, password: p.password, csrfToken, callbackUrl, json: "true" } });
  const url = new URL((await res.json()).url as string);
  const session = await (await ctx.get("/api/auth/session")).json();
  return { url, error: url.searchParams.get("error"), signedIn: Boolean(session?.user?.email) };
}

async function signedUpPerson(browser: Browser, tag: string): Promise<Person & { slug: string }> {
  const context = await browser.newContext();
  try {
    const person = fakePerson(tag);
    const slug = await new SignUpPage(await context.newPage()).signUp(person);
    return { ...person, slug };
  } finally {
    await context.close();
  }
}

// Raw in the query string, so the page receives them decoded: `/\evil.example`, `/<TAB>/evil.example`, ...
const OPEN_REDIRECTS = ["/%5Cevil.example", "/%09/evil.example", "//evil.example", "https://evil.example", "/%2F%2Fevil.example", "javascript:alert(document.domain)"];

test("sign-in's callbackUrl and next-auth's redirects stay on the site, however the other site is spelled", async ({ browser }) => {
  const person = await signedUpPerson(browser, "redirect");
  const context = await browser.newContext();
  await context.route((url) => url.hostname.endsWith("evil.example"), (route) => route.fulfill({ status: 200, contentType: "text/html", body: "<h1>escaped</h1>" }));
  const page = await context.newPage();
  try {
    for (const spelling of OPEN_REDIRECTS) {
      // Through the sign-in form (the page hands the checked target to the browser)...
      await context.clearCookies();
      await new SignInPage(page).signIn(person, spelling, { raw: true });
      await page.waitForURL((url) => url.pathname !== "/sign-in" || url.origin !== origin());
      expect(new URL(page.url()).origin, `after signing in with callbackUrl=${spelling}`).toBe(origin());
      // ... and already signed in, where the sign-in page redirects on the server.
      const res = await page.request.get(`/sign-in?callbackUrl=${spelling}`, { maxRedirects: 0 });
      expect(res.status()).toBe(307);
      expect(new URL(res.headers().location!, origin()).origin, `redirect of /sign-in?callbackUrl=${spelling}`).toBe(origin());
    }
  } finally {
    await context.close();
  }
  // next-auth's own endpoints answer with the redirect target they would use.
  const api = await client();
  try {
    for (const spelling of OPEN_REDIRECTS.map(decodeURIComponent)) {
      const { url, signedIn } = await postSignIn(api, person, spelling);
      expect(signedIn).toBe(true);
      expect(url.origin, `next-auth sign-in with callbackUrl ${JSON.stringify(spelling)}`).toBe(origin());
      const { csrfToken } = await (await api.get("/api/auth/csrf")).json();
      const out = await api.post("/api/auth/signout", { form: { csrfToken, callbackUrl: spelling, json: "true" } });
      expect(new URL((await out.json()).url).origin, `next-auth sign-out with callbackUrl ${JSON.stringify(spelling)}`).toBe(origin());
    }
  } finally {
    await api.dispose();
  }
});

test("failed sign-ins from one IP lock that IP out of the account, never the owner signing in from another", async ({ browser }) => {
  const owner = await signedUpPerson(browser, "lockout");
  const attacker = await client("198.51.100.7");
  const ownerElsewhere = await client("203.0.113.25");
  try {
    for (let i = 0; i < 10; i++) expect(await postSignIn(attacker, { email: owner.email, password: `wrong-guess-${i}` })).toMatchObject({ signedIn: false, error: "CredentialsSignin" });
    // The attacker's address is now refused even with the right password ...
    const locked = await postSignIn(attacker, owner);
    expect(locked.signedIn).toBe(false);
    expect(locked.error).toMatch(/^Too many attempts\. Try again in \d+ s\.$/);
    // ... and the owner, from their own address, signs in.
    expect(await postSignIn(ownerElsewhere, owner)).toMatchObject({ signedIn: true, error: null });
  } finally {
    await Promise.all([attacker.dispose(), ownerElsewhere.dispose()]);
  }
});

test("a session cookie copied before sign-out is refused after it", async ({ page, browser }) => {
  const person = fakePerson("signout");
  const slug = await new SignUpPage(page).signUp(person);
  const copied = await page.context().cookies();
  expect(copied.some((c) => c.name.includes("next-auth.session-token"))).toBe(true);

  const thief = await browser.newContext();
  try {
    await thief.addCookies(copied);
    const stolen = await thief.newPage();
    await stolen.goto(`/${slug}`);
    await expect(stolen.getByRole("heading", { name: /^Welcome/ })).toBeVisible(); // the copy works while the session lives

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL("**/sign-in**");

    await thief.clearCookies();
    await thief.addCookies(copied);
    await stolen.goto(`/${slug}`);
    await expect(stolen).toHaveURL(/\/sign-in/);
    const session = await thief.request.get("/api/auth/session");
    expect(await session.json()).toEqual({});
  } finally {
    await thief.close();
  }
});

const SECURITY_HEADERS = ["content-security-policy", "x-content-type-options", "referrer-policy", "x-frame-options"];

function expectSecurityHeaders(headers: Record<string, string>, what: string) {
  for (const h of SECURITY_HEADERS) expect(headers[h], `${h} on ${what}`).toBeTruthy();
  const csp = headers["content-security-policy"]!;
  expect(csp, what).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp, what).not.toContain("unsafe-eval");
  expect(csp, what).toContain("frame-ancestors 'none'");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["x-powered-by"], `x-powered-by on ${what}`).toBeUndefined();
  expect(headers["strict-transport-security"], `HSTS over plain http on ${what}`).toBeUndefined();
}

test("every response carries the security headers; HSTS only over https", async ({ request, page }) => {
  await page.goto("/sign-in");
  const asset = await page.evaluate(() => (document.querySelector("script[src]") as HTMLScriptElement | null)?.getAttribute("src"));
  expect(asset).toMatch(/^\/_next\/static\//);
  const responses = {
    "a page": await request.get("/sign-in"),
    "a redirect": await request.get("/", { maxRedirects: 0 }),
    "a static asset": await request.get(asset!),
    "an API route": await request.get("/api/health"),
    "an API error": await request.get("/api/v1/runs/00000000-0000-0000-0000-000000000000"),
    "a missing page": await request.get("/no/such/page"),
  };
  for (const [what, res] of Object.entries(responses)) expectSecurityHeaders(res.headers(), what);
  // A fresh nonce on every response, and it is the one on the page's scripts.
  const [a, b] = [responses["a page"], await request.get("/sign-in")];
  const nonceOf = (csp: string) => csp.match(/'nonce-([^']+)'/)![1];
  expect(nonceOf(a.headers()["content-security-policy"]!)).not.toBe(nonceOf(b.headers()["content-security-policy"]!));
  expect(await b.text()).toContain(`nonce="${nonceOf(b.headers()["content-security-policy"]!)}"`);

  const https = await request.get("/sign-in", { headers: { "x-forwarded-proto": "https" } });
  expect(https.headers()["strict-transport-security"]).toMatch(/^max-age=\d{8,}/);
});

/** Collects CSP violations (the DOM event and the console's report) from the moment the page loads. */
async function watchCsp(page: Page): Promise<() => Promise<string[]>> {
  const console: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to (execute|load|apply|evaluate|connect)/i.test(m.text())) console.push(m.text());
  });
  await page.addInitScript(() => {
    const w = window as unknown as { cspViolations: string[] };
    w.cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) => w.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return async () => [...console, ...(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations))];
}

test("the main pages run under the CSP without a violation", async ({ page }) => {
  const violations = await watchCsp(page);
  const person = fakePerson("csp");
  // Signing up needs the client-side scripts (the form action and next-auth's signIn()).
  const slug = await new SignUpPage(page).signUp(person);
  for (const path of ["", "/connections", "/connections/new", "/workflows", "/workflows/new", "/jobs", "/demo", "/scan", "/settings/members", "/settings/api-keys", "/settings/general", "/settings/audit"]) {
    await page.goto(`/${slug}${path}`);
    await expect(page.locator("main")).toBeVisible();
  }
  // A client-side interaction after hydration: the organisation switcher opens.
  await page.getByLabel("Switch organisation").click();
  await expect(page.getByRole("link", { name: person.name })).toBeVisible();
  await page.goto("/sign-in");
  await page.goto("/no/such/page");
  expect(await violations()).toEqual([]);
});

test("a server action posted from another origin is refused and changes nothing", async ({ page }) => {
  const slug = await new SignUpPage(page).signUp(fakePerson("csrf"));
  await page.goto(`/${slug}/settings/general`);
  // A real rename through the form, to capture the action's request ...
  const captured = page.waitForRequest((r) => r.method() === "POST" && Boolean(r.headers()["next-action"]));
  await page.getByLabel("Organisation name").fill("Renamed once");
  await page.locator("form", { has: page.getByLabel("Organisation name") }).getByRole("button", { name: "Save" }).click();
  const action = await captured;
  await expect(page.getByTestId("toast").filter({ hasText: "Organisation name saved." })).toBeVisible();
  const headers = await action.allHeaders();
  const body = action.postData()!;
  expect(body).toContain("Renamed once");
  // ... replayed with the victim's cookies from another site's origin, then from our own.
  const replay = (from: string, name: string) =>
    page.request.post(action.url(), {
      headers: { "next-action": headers["next-action"]!, "content-type": headers["content-type"]!, accept: "text/x-component", origin: from },
      data: body.replace("Renamed once", name),
    });
  const foreign = await replay("https://evil.example", "Hijacked");
  expect(foreign.status()).toBeGreaterThanOrEqual(400);
  await page.reload();
  await expect(page.getByTestId("current-org")).toHaveText("Renamed once");
  expect((await replay(origin(), "Renamed twice")).ok()).toBe(true);
  await page.reload();
  await expect(page.getByTestId("current-org")).toHaveText("Renamed twice");
});

test("the run API refuses a 20 MB body with 413 and stores nothing", async ({ request }) => {
  const seeded = await seedApiWorkflow();
  test.skip(!seeded, "needs DATABASE_URL to seed an API key");
  try {
    const before = await seeded!.countJobs();
    const res = await request.post(`/api/v1/workflows/${seeded!.workflowId}/runs`, {
      headers: { authorization: `Bearer ${seeded!.apiKey}`, "content-type": "application/json" },
      data: JSON.stringify({ customizationValues: { company_name: "x".repeat(20 * 1024 * 1024) } }),
    });
    expect(res.status()).toBe(413);
    expect((await res.json()).error).toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
    expect(await seeded!.countJobs()).toBe(before);
    // The same key and workflow with a small body do start a run: the 413 was the size.
    const ok = await request.post(`/api/v1/workflows/${seeded!.workflowId}/runs`, {
      headers: { authorization: `Bearer ${seeded!.apiKey}`, "content-type": "application/json" },
      data: JSON.stringify({ customizationValues: { company_name: "Acme" } }),
    });
    expect(ok.status()).toBe(201);
    expect(await seeded!.countJobs()).toBe(before + 1);
  } finally {
    await seeded?.drop();
  }
});

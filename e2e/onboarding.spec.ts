import { expect, type Page, test } from "@playwright/test";
import { SignInPage, SignUpPage } from "./fixtures/auth-pages";
import { ConnectionsPage } from "./fixtures/connections-page";
import { fakeRunningJob, seedDemoWorkflow } from "./fixtures/demo-data";
import { JobPage } from "./fixtures/jobs-page";
import { inviteTeammate, MembersPage } from "./fixtures/members-page";
import { fakePerson, type Person } from "./fixtures/people";
import { ScanPage } from "./fixtures/scan-page";
import { shot } from "./fixtures/screenshots";

// Issue 15, onboarding: an invitee lands in the organisation they joined (no empty one of their
// own), sign-in lands in the organisation last opened, invites never offer Owner, and editors
// and viewers are never shown a link to a page they cannot open.

/** Screenshots at desktop (1440) and phone (390) width, then back to the previous viewport. */
async function shotBoth(page: Page, name: string) {
  const before = page.viewportSize();
  for (const [width, height] of [[1440, 900], [390, 844]] as const) {
    await page.setViewportSize({ width, height });
    await shot(page, `${name}-${width}`);
  }
  if (before) await page.setViewportSize(before);
}

async function signOutAndIn(page: Page, person: Pick<Person, "email" | "password">) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL("**/sign-in**");
  await new SignInPage(page).signIn(person);
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
}

test("an invitee lands in the inviting organisation with the invited role, has no other one, and lands there again after signing in", async ({ page, browser }) => {
  const admin = fakePerson("admin");
  const slug = await new SignUpPage(page).signUp(admin);
  const members = new MembersPage(page, slug);
  await members.goto();
  // Ownership is transferred, not invited.
  await expect(page.getByLabel("Role", { exact: true }).locator("option")).toHaveText(["Admin", "Editor", "Viewer"]);
  await shotBoth(page, "members-invite-form");

  const viewer = await inviteTeammate(page, browser, slug, "VIEWER");
  try {
    const v = viewer.page;
    await expect(v).toHaveURL(new RegExp(`/${slug}$`));
    await expect(v.getByTestId("current-org")).toHaveText(admin.name);
    await v.getByLabel("Switch organisation").click();
    await expect(v.getByTestId("switcher-org")).toHaveText([admin.name]);
    await shotBoth(v, "invitee-dashboard-switcher");

    await signOutAndIn(v, viewer.person);
    await expect(v).toHaveURL(new RegExp(`/${slug}$`));
    await expect(v.getByTestId("current-org")).toHaveText(admin.name);
    await expect(v.getByTestId("current-role")).toHaveText("Viewer");
  } finally {
    await viewer.context.close();
  }
});

test("an invitee who has not accepted yet has no organisation of their own: sign-in says how to join", async ({ page, browser }) => {
  const slug = await new SignUpPage(page).signUp(fakePerson("admin"));
  const members = new MembersPage(page, slug);
  await members.goto();
  const mate = fakePerson("later");
  const link = await members.invite(mate.email, "EDITOR");
  const context = await browser.newContext();
  try {
    const p = await context.newPage();
    await p.goto(link);
    await p.getByRole("link", { name: "Create an account and join" }).click();
    const signUp = new SignUpPage(p);
    await signUp.fill({ name: mate.name, password: mate.password });
    await signUp.submit();
    await p.waitForURL((url) => url.pathname === new URL(link).pathname);
    await context.clearCookies();
    await new SignInPage(p).signIn(mate);
    await p.waitForURL("**/orgs/new");
    await expect(p.getByTestId("no-org-yet")).toContainText("Open the invite link");
    await shotBoth(p, "invitee-not-joined-yet");
  } finally {
    await context.close();
  }
});

test("sign-in lands in the organisation last opened through the switcher", async ({ page }) => {
  const ada = fakePerson("two-orgs");
  const first = await new SignUpPage(page).signUp(ada);
  await page.goto("/orgs/new");
  await page.getByLabel("Organisation name").fill(`Second team ${ada.email.slice(10, 18)}`);
  await page.getByRole("button", { name: "Create organisation" }).click();
  await expect(page.getByTestId("current-org")).toHaveText(/^Second team/);
  const second = new URL(page.url()).pathname.slice(1);

  // The newest organisation, not the oldest membership.
  await signOutAndIn(page, ada);
  await expect(page).toHaveURL(new RegExp(`/${second}$`));

  await page.getByLabel("Switch organisation").click();
  await page.getByTestId("switcher-org").filter({ hasText: ada.name }).click();
  await page.waitForURL(`**/${first}`);
  await signOutAndIn(page, ada);
  await expect(page).toHaveURL(new RegExp(`/${first}$`));
  await expect(page.getByTestId("current-org")).toHaveText(ada.name);
});

/** Every same-origin link on the page (without its #fragment), deduplicated. */
async function linksOn(page: Page): Promise<string[]> {
  const origin = new URL(page.url()).origin;
  // getAttribute, not .href: an SVG <a> (the run-history chart's bars) has an SVGAnimatedString there.
  const hrefs = await page.locator("a[href]").evaluateAll((as) => as.map((a) => new URL(a.getAttribute("href")!, document.baseURI).href));
  return [...new Set(hrefs.filter((h) => new URL(h).origin === origin).map((h) => h.split("#")[0]!))];
}

test("editors and viewers see no link to a page they cannot open on the dashboard, the workflow's pages and run pages", async ({ page, browser }) => {
  test.setTimeout(180_000);
  const slug = await new SignUpPage(page).signUp(fakePerson("admin"));
  await new ConnectionsPage(page, slug).addDemoConnections();
  // A scan of the source, so the workflow's pages and a refused run link to it (for admins).
  const scan = new ScanPage(page, slug);
  await scan.goto();
  await scan.scanAndWait("Demo production");
  const workflowId = await seedDemoWorkflow(slug, { name: "Link check", tables: [{ table: "customers" }] });
  await page.goto(`/${slug}/workflows/${workflowId}`);
  await expect(page.getByTestId("drift-banner").getByRole("link", { name: "Review the scan" })).toBeVisible();
  await page.getByRole("button", { name: "Run now" }).first().click();
  const job = new JobPage(page);
  await job.waitForJobPage();
  expect((await job.watchUntilDone()).final).toBe("SUCCEEDED");
  const okRun = job.jobId;
  // A run refused for an unreviewed column (as the worker records it).
  const refused = await fakeRunningJob(slug, workflowId);
  await refused.finish("FAILED", {
    error: { code: "UNREVIEWED_COLUMNS", message: "customers.email is new in the source and has no rule.", retryable: false },
    report: { unreviewed: [{ schema: "public", table: "customers", columns: ["email"] }] },
  });
  await page.goto(`/${slug}/jobs/${refused.id}`);
  await expect(page.getByRole("link", { name: "See the scan" })).toBeVisible();

  const pages = [`/${slug}`, `/${slug}/workflows/${workflowId}`, `/${slug}/workflows/${workflowId}/runs`, `/${slug}/workflows/${workflowId}/customizations`, `/${slug}/jobs`, `/${slug}/jobs/${okRun}`, `/${slug}/jobs/${refused.id}`];
  for (const role of ["EDITOR", "VIEWER"] as const) {
    const mate = await inviteTeammate(page, browser, slug, role);
    try {
      const checked = new Set<string>();
      for (const path of pages) {
        const res = await mate.page.goto(path);
        expect(res?.status(), `${role} opens ${path}`).toBe(200);
        if (path.endsWith(refused.id)) await shotBoth(mate.page, `refused-run-${role.toLowerCase()}`);
        if (path === `/${slug}`) await shotBoth(mate.page, `dashboard-${role.toLowerCase()}`);
        for (const link of await linksOn(mate.page)) {
          if (checked.has(link)) continue;
          checked.add(link);
          const answer = await mate.page.request.get(link, { maxRedirects: 0 });
          expect(answer.status(), `${role}: ${path} links to ${link}`).not.toBe(404);
        }
      }
      // The crawl saw the admin-only destinations' neighbours, not nothing.
      expect(checked.size).toBeGreaterThan(5);
    } finally {
      await mate.context.close();
    }
  }
});

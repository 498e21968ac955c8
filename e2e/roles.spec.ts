import { expect, test } from "@playwright/test";
import { SignInPage, SignUpPage } from "./fixtures/auth-pages";
import { inviteTeammate, MembersPage } from "./fixtures/members-page";
import { fakePerson } from "./fixtures/people";
import { shot } from "./fixtures/screenshots";

test("a viewer cannot reach the members settings, and nobody reaches another organisation", async ({ page, browser }) => {
  const owner = fakePerson("owner");
  const slug = await new SignUpPage(page).signUp(owner);
  const { page: p2, context: ctx, person: viewer } = await inviteTeammate(page, browser, slug, "VIEWER");
  try {
    // Hidden in the navigation ...
    const nav = p2.getByRole("navigation", { name: "Organisation" });
    await expect(nav.getByRole("link", { name: "Dashboard" })).toBeVisible();
    for (const name of ["Members", "Audit log", "Organisation"]) await expect(nav.getByRole("link", { name })).toHaveCount(0);
    await shot(p2, "dashboard-viewer");
    // ... and refused by the server. (The invite link carries NEXTAUTH_URL's host, which may
    // differ from the test's baseURL: stay on the host the session cookie belongs to.)
    const origin = new URL(p2.url()).origin;
    for (const path of ["settings/members", "settings/audit", "settings/general"]) {
      const res = await p2.goto(`${origin}/${slug}/${path}`);
      expect(res?.status(), path).toBe(404);
      await expect(p2.getByRole("heading", { name: "Page not found" })).toBeVisible();
    }

    // An organisation the viewer makes is theirs (an invitee gets none of their own at sign-up);
    // to the owner it is a stranger's organisation: every page of it is a 404.
    await p2.goto(`${origin}/orgs/new`);
    await p2.getByLabel("Organisation name").fill(`${viewer.name} own`);
    await p2.getByRole("button", { name: "Create organisation" }).click();
    await expect(p2.getByTestId("current-org")).toHaveText(`${viewer.name} own`);
    const personal = new URL(p2.url()).pathname;
    expect(personal).not.toBe(`/${slug}`);
    for (const path of ["", "/settings/members", "/settings/audit", "/settings/general"]) {
      const res = await page.goto(`${personal}${path}`);
      expect(res?.status(), `owner visiting ${personal}${path}`).toBe(404);
    }
    await shot(page, "not-found");
  } finally {
    await ctx.close();
  }
});

test("revoked and unknown invite links get a clear page", async ({ page, browser }) => {
  const owner = fakePerson("owner");
  const slug = await new SignUpPage(page).signUp(owner);
  const members = new MembersPage(page, slug);
  await members.goto();
  const invitee = fakePerson("revoked");
  const link = await members.invite(invitee.email, "EDITOR");
  await page.reload();
  page.once("dialog", (d) => d.accept());
  await page.locator(`[data-testid="invite-row"][data-email="${invitee.email}"]`).getByRole("button", { name: "Revoke" }).click();
  await expect(page.locator(`[data-testid="invite-row"][data-email="${invitee.email}"]`)).toHaveCount(0);

  const ctx = await browser.newContext();
  try {
    const p2 = await ctx.newPage();
    await p2.goto(link);
    await expect(p2.getByRole("heading", { name: "This invite was revoked" })).toBeVisible();
    await shot(p2, "invite-revoked");
    await p2.goto(`${link.slice(0, -6)}AAAAAA`);
    await expect(p2.getByRole("heading", { name: "This invite link is not valid" })).toBeVisible();
  } finally {
    await ctx.close();
  }
});

test("too many sign-in attempts are refused with a retry time", async ({ page }) => {
  const person = fakePerson("limited");
  await new SignUpPage(page).signUp(person);
  await page.context().clearCookies();
  const signIn = new SignInPage(page);
  // 10 failed attempts per email and address per 15 minutes (signing in at sign-up is not a
  // failure): wrong passwords are "incorrect" until the limit, then even the right password is
  // refused with a wait time.
  const alert = page.getByRole("alert").filter({ hasText: /\S/ });
  let attempts = 0;
  for (; attempts < 12; attempts++) {
    await signIn.signIn({ email: person.email, password: `Wrong-password-${attempts}` });
    await expect(alert).toHaveText(/^(Email or password is incorrect\.|Too many attempts\. Try again in \d+ s\.)$/);
    if ((await alert.textContent())?.startsWith("Too many")) break;
  }
  expect(attempts).toBe(10);
  await signIn.signIn(person);
  await expect(alert).toHaveText(/^Too many attempts\. Try again in \d+ s\.$/);
  await expect(page).toHaveURL(/\/sign-in/);
  await shot(page, "sign-in-rate-limited");
});

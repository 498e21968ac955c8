import { expect, test } from "@playwright/test";
import { InvitePage, SignInPage, SignUpPage } from "./fixtures/auth-pages";
import { MembersPage } from "./fixtures/members-page";
import { fakePerson } from "./fixtures/people";
import { shot } from "./fixtures/screenshots";

test("sign up lands in the new organisation as its owner", async ({ page }) => {
  const signUp = new SignUpPage(page);
  await signUp.goto();
  await shot(page, "sign-up");

  // Field errors first: weak password and mismatch.
  const ada = fakePerson("owner");
  await signUp.fill({ name: ada.name, email: ada.email, password: "password1", confirm: "different" });
  await signUp.submit();
  await expect(page.getByText("Use at least 10 characters.")).toBeVisible();
  await expect(page.getByText("The passwords don't match.")).toBeVisible();
  await shot(page, "sign-up-errors");

  const slug = await signUp.signUp(ada);
  await expect(page.getByTestId("current-org")).toHaveText(ada.name);
  await expect(page.getByTestId("current-role")).toHaveText("Owner");
  await expect(page.getByText("No workflows yet")).toBeVisible();
  await shot(page, "dashboard");

  // A taken email is reported on the field.
  await page.context().clearCookies();
  await signUp.goto();
  await signUp.fill({ ...fakePerson("dup"), email: ada.email });
  await signUp.submit();
  await expect(page.getByText("An account with this email already exists. Sign in instead.")).toBeVisible();

  // Wrong password, then the right one.
  const signIn = new SignInPage(page);
  await signIn.signIn({ email: ada.email, password: "not-the-password" });
  await expect(page.getByText("Email or password is incorrect.")).toBeVisible();
  await shot(page, "sign-in-error");
  await signIn.signIn(ada);
  await page.waitForURL(`**/${slug}`);

  // A second organisation, then switch back through the switcher.
  await page.goto("/orgs/new");
  await shot(page, "new-org");
  await page.getByLabel("Organisation name").fill(`Second team ${ada.email.slice(6, 14)}`);
  await page.getByRole("button", { name: "Create organisation" }).click();
  await expect(page.getByTestId("current-org")).toHaveText(/^Second team/);
  await page.getByLabel("Switch organisation").click();
  await page.getByRole("link", { name: ada.name }).click();
  await page.waitForURL(`**/${slug}`);
  await expect(page.getByTestId("current-org")).toHaveText(ada.name);

  // Sign out.
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL("**/sign-in**");
  await page.goto(`/${slug}`);
  await expect(page).toHaveURL(/\/sign-in/);
});

test("an admin invites a teammate, who signs up from the link, confirms their address and sees the org with that role", async ({ page, browser }) => {
  const admin = fakePerson("admin");
  const slug = await new SignUpPage(page).signUp(admin);
  const members = new MembersPage(page, slug);
  await members.goto();
  const mate = fakePerson("editor");
  const link = await members.invite(mate.email, "EDITOR");
  expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
  await page.reload();
  await expect(page.locator(`[data-testid="invite-row"][data-email="${mate.email}"]`)).toBeVisible();
  await shot(page, "members");

  const other = await browser.newContext();
  try {
    const p2 = await other.newPage();
    await p2.goto(link);
    await expect(p2.getByRole("heading", { name: `Join ${admin.name}` })).toBeVisible();
    await shot(p2, "invite-landing");
    await p2.getByRole("link", { name: "Create an account and join" }).click();
    await expect(p2.getByLabel("Email")).toHaveValue(mate.email);
    await expect(p2.getByLabel("Email")).toHaveAttribute("readonly", "");
    const signUp = new SignUpPage(p2);
    await signUp.fill({ name: mate.name, password: mate.password });
    await signUp.submit();
    // Back on the invite: the new account's address is not confirmed yet, so no "Accept" yet.
    await p2.waitForURL((url) => url.pathname === new URL(link).pathname);
    await expect(p2.getByTestId("verify-email-first")).toContainText(mate.email);
    await shot(p2, "invite-verify-first");
    await new InvitePage(p2).verifyEmailAndAccept(slug);
    await expect(p2.getByTestId("current-org")).toHaveText(admin.name);
    await expect(p2.getByTestId("current-role")).toHaveText("Editor");

    // The link is single-use.
    await p2.goto(link);
    await expect(p2.getByRole("heading", { name: "This invite has already been used" })).toBeVisible();
    await shot(p2, "invite-used");
  } finally {
    await other.close();
  }

  await members.goto();
  await expect(members.memberRow(mate.email)).toContainText("Editor");
  await page.goto(`/${slug}/settings/audit`);
  await expect(page.locator('[data-testid="audit-row"][data-action="invite.accepted"]')).toContainText(mate.email);
  await shot(page, "audit-log");
  await page.goto(`/${slug}/settings/general`);
  await shot(page, "org-settings");
});

import { expect, type Page, test } from "@playwright/test";
import { SignUpPage } from "./fixtures/auth-pages";
import { ConnectionsPage } from "./fixtures/connections-page";
import { holdTable, seedDemoWorkflow } from "./fixtures/demo-data";
import { inviteTeammate, MembersPage } from "./fixtures/members-page";
import { fakePerson } from "./fixtures/people";
import { shot } from "./fixtures/screenshots";

// What every page shares: toasts after an action, the one date format, the 404 page's words,
// loading placeholders (their 404s: tenancy.spec, roles.spec), and a way out of /orgs/new.

const toasts = (page: Page) => page.getByRole("region", { name: "Notifications" }).getByTestId("toast");

async function shotBoth(page: Page, name: string) {
  const size = page.viewportSize()!;
  await shot(page, `${name}-1440`);
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, `${name}-390`);
  await page.setViewportSize(size);
}

test("a saved connection and a sent invite are confirmed by a toast that can be dismissed and hides by itself", async ({ page }) => {
  const slug = await new SignUpPage(page).signUp(fakePerson("owner"));
  const connections = new ConnectionsPage(page, slug);
  await connections.addDemoConnections();
  await expect(toasts(page).filter({ hasText: "Demo connections added." })).toBeVisible();

  await connections.open("Demo twin");
  await page.getByLabel("Name", { exact: true }).fill("Staging twin");
  await page.getByRole("button", { name: "Save changes" }).click();
  const saved = toasts(page).filter({ hasText: "Connection “Staging twin” saved." });
  await expect(saved).toBeVisible();
  // Announced politely: the toast sits in the one live region.
  await expect(page.getByRole("region", { name: "Notifications" }).getByRole("status")).toContainText("Connection “Staging twin” saved.");
  await shotBoth(page, "toast-connection-saved");
  await saved.getByRole("button", { name: "Dismiss notification" }).click();
  await expect(saved).toHaveCount(0);

  const members = new MembersPage(page, slug);
  await members.goto();
  const mate = fakePerson("mate");
  await members.invite(mate.email, "EDITOR");
  const sent = toasts(page).filter({ hasText: `Invite created for ${mate.email}` });
  await expect(sent).toBeVisible();
  // Nobody touches it: it goes away on its own (after about five seconds).
  await expect(sent).toHaveCount(0, { timeout: 15_000 });
  // The invite link stays on the page: the toast confirms, it does not replace it.
  await expect(page.getByTestId("invite-link")).toBeVisible();
});

test("dates are relative with the exact UTC time on hover, and each member's role is shown once", async ({ page, browser }) => {
  const slug = await new SignUpPage(page).signUp(fakePerson("owner"));
  const { context, person: viewer } = await inviteTeammate(page, browser, slug, "VIEWER");
  await context.close();
  const members = new MembersPage(page, slug);
  await members.goto();
  const pending = fakePerson("pending");
  await members.invite(pending.email, "EDITOR");
  const expires = page.locator(`[data-testid="invite-row"][data-email="${pending.email}"]`).getByTestId("relative-time");
  await expect(expires).toHaveText(/^(in 7 days|next week)$/);
  const title = await expires.getAttribute("title");
  expect(title).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/);
  // The title is the machine-readable dateTime, written out in UTC.
  const iso = await expires.getAttribute("datetime");
  expect(`${iso!.slice(0, 19).replace("T", " ")} UTC`).toBe(title);

  // A member the owner may manage: the role is the select, and only the select (no badge beside it).
  const row = members.memberRow(viewer.email);
  await expect(row.getByRole("combobox", { name: `Role of ${viewer.name}` })).toHaveValue("VIEWER");
  await expect(row.locator("td").nth(1).locator("span", { hasText: /^Viewer$/ })).toHaveCount(0);
  await expect(row.getByRole("combobox")).toHaveCount(1);
  await expect(row.getByTestId("relative-time")).toHaveText("just now");
  // Changing it is confirmed by a toast.
  await row.getByRole("combobox", { name: `Role of ${viewer.name}` }).selectOption("EDITOR");
  await expect(toasts(page).filter({ hasText: `${viewer.name} is now an editor.` })).toBeVisible();
  await shotBoth(page, "members");
});

test("the 404 page sends a member back to their organisation and tells only strangers to ask for an invite", async ({ page, browser }) => {
  const slug = await new SignUpPage(page).signUp(fakePerson("owner"));
  const orgName = (await page.getByTestId("current-org").textContent())!.trim();
  const missing = `/${slug}/jobs/00000000-0000-4000-8000-000000000000`;
  const res = await page.goto(missing);
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await expect(page.getByTestId("not-found-member")).toContainText(`There is nothing at this address in ${orgName}`);
  await expect(page.getByText(/ask them to invite you/)).toHaveCount(0);
  await shotBoth(page, "not-found-member");
  await page.getByRole("link", { name: `Back to ${orgName}` }).click();
  await expect(page.getByRole("heading", { name: /^Welcome/ })).toBeVisible();
  expect(new URL(page.url()).pathname).toBe(`/${slug}`);

  const context = await browser.newContext();
  try {
    const stranger = await context.newPage();
    await new SignUpPage(stranger).signUp(fakePerson("stranger"));
    const other = await stranger.goto(missing);
    expect(other?.status()).toBe(404);
    await expect(stranger.getByTestId("not-found-other")).toContainText("ask them to invite you");
    await expect(stranger.getByText(orgName)).toHaveCount(0);
  } finally {
    await context.close();
  }
});

test("someone on /orgs/new can sign out from there", async ({ page }) => {
  const person = fakePerson("leaver");
  await new SignUpPage(page).signUp(person);
  await page.goto("/orgs/new");
  await expect(page.getByTestId("user-email")).toHaveText(person.email);
  await shotBoth(page, "orgs-new");
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL("**/sign-in");
  // The session is gone: /orgs/new asks to sign in again.
  await page.goto("/orgs/new");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Forgs%2Fnew/);
});

test("a page shows a placeholder shaped like it while its data loads (dashboard, a workflow)", async ({ page }) => {
  const slug = await new SignUpPage(page).signUp(fakePerson("owner"));
  await new ConnectionsPage(page, slug).addDemoConnections();
  const workflowId = await seedDemoWorkflow(slug, { name: "Skeleton check", tables: [{ table: "customers" }] });
  const cases = [
    // The dashboard's summary reads the runs; the organisation's layout (membership) does not.
    { name: "dashboard", path: `/${slug}`, table: "jobs", label: "Loading the dashboard", loaded: page.getByRole("heading", { name: /^Welcome/ }) },
    // The workflow's layout checks it exists (workflows); its tab reads the versions.
    { name: "workflow", path: `/${slug}/workflows/${workflowId}`, table: "workflow_versions", label: "Loading the workflow", loaded: page.getByRole("heading", { name: "Skeleton check" }) },
  ] as const;
  for (const c of cases) {
    const release = await holdTable(c.table);
    try {
      await page.goto(c.path, { waitUntil: "commit" });
      await expect(page.getByRole("status", { name: c.label })).toBeVisible();
      await expect(c.loaded).toHaveCount(0);
      await shotBoth(page, `skeleton-${c.name}`);
    } finally {
      await release();
    }
    await expect(c.loaded).toBeVisible();
    await expect(page.getByRole("status", { name: c.label })).toHaveCount(0);
  }
});

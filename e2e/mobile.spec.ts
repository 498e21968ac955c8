import { expect, test } from "@playwright/test";
import { SignUpPage } from "./fixtures/auth-pages";
import { ConnectionsPage } from "./fixtures/connections-page";
import { seedDemoWorkflow } from "./fixtures/demo-data";
import { JobPage } from "./fixtures/jobs-page";
import { expectNoHorizontalOverflow, PHONE, shotDesktopAndPhone } from "./fixtures/mobile";
import { fakePerson } from "./fixtures/people";
import { ScanPage } from "./fixtures/scan-page";
import { shot } from "./fixtures/screenshots";

// Issue 15, responsive down to 390 px: below the md breakpoint the shell is a top bar whose menu
// button opens the navigation as a drawer (a disclosure: aria-expanded, Escape closes and hands
// focus back); no page of an organisation, nor the auth pages, scrolls sideways on a 390 px
// screen. Each page is photographed at 1440 and 390 px under test-output/screenshots/mobile-*.

test.describe.configure({ timeout: 240_000 });

const COMPANY = { name: "Prospect's company", statement: "UPDATE companies SET name = %(company_name)s WHERE id = 1", params: [{ name: "company_name", label: "Company name", type: "text" }] };

test("on a phone the navigation is a drawer behind a menu button", async ({ page }) => {
  const slug = await new SignUpPage(page).signUp(fakePerson("phone"));
  await page.setViewportSize(PHONE);
  const menu = page.getByRole("button", { name: "Menu" });
  const nav = page.getByRole("navigation", { name: "Organisation" });
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(nav).toBeHidden();
  await expectNoHorizontalOverflow(page, "dashboard with the menu closed");

  await menu.click();
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await expect(nav).toBeVisible();
  // Focus moves into the drawer; Escape closes it and gives focus back to the button.
  await expect(page.locator("#org-drawer")).toContainText(await page.getByTestId("current-org").innerText());
  expect(await page.evaluate(() => document.getElementById("org-drawer")?.contains(document.activeElement))).toBe(true);
  await shot(page, "mobile-drawer-open-390");
  await page.keyboard.press("Escape");
  await expect(nav).toBeHidden();
  await expect(menu).toBeFocused();
  await expect(menu).toHaveAttribute("aria-expanded", "false");

  // A link closes the drawer as it navigates.
  await menu.click();
  await nav.getByRole("link", { name: "Workflows" }).click();
  await page.waitForURL(`**/${slug}/workflows`);
  await expect(nav).toBeHidden();
  await expect(menu).toHaveAttribute("aria-expanded", "false");

  // On a desktop the sidebar is always there and there is no menu button.
  await page.setViewportSize({ width: 1440, height: 900 });
  await expect(nav).toBeVisible();
  await expect(menu).toBeHidden();
});

test("no page scrolls sideways at 390 px (dashboard, editor, run page and the rest)", async ({ page, browser }) => {
  const slug = await new SignUpPage(page).signUp(fakePerson("mobile"));
  await new ConnectionsPage(page, slug).addDemoConnections();
  const workflowId = await seedDemoWorkflow(slug, {
    name: "Sales demo twin for the regional accounts team",
    tables: [{ table: "companies" }, { table: "customers", rules: { email: { rule: "fake", kind: "email" } } }],
    customizations: [COMPANY],
    values: { company_name: "Acme Corp" },
  });
  // A real run (the worker copies the demo source), so the dashboard, jobs and run pages have rows.
  await page.goto(`/${slug}/workflows/${workflowId}`);
  await page.getByRole("button", { name: "Run now" }).click();
  const job = new JobPage(page);
  await job.waitForJobPage();
  await expect(page.getByTestId("run-outcome")).toHaveAttribute("data-status", "SUCCEEDED", { timeout: 120_000 });
  const runPath = new URL(page.url()).pathname;
  const scanner = new ScanPage(page, slug);
  await scanner.goto();
  await scanner.scanAndWait("Demo production");
  const connections = new ConnectionsPage(page, slug);
  await connections.open("Demo production");
  const connectionPath = new URL(page.url()).pathname;
  // An API key, so that its list has a row to lay out.
  await page.goto(`/${slug}/settings/api-keys`);
  await page.getByLabel("Key name").fill("GitHub Actions nightly");
  await page.getByRole("button", { name: "Create key" }).click();
  await expect(page.getByTestId("new-api-key")).toBeVisible();

  // The three pages the issue names first, then every other page of the organisation.
  const pages: [string, string][] = [
    ["dashboard", `/${slug}`],
    ["workflow-editor", `/${slug}/workflows/${workflowId}`],
    ["run-page", runPath],
    ["jobs", `/${slug}/jobs`],
    ["connections", `/${slug}/connections`],
    ["connection", connectionPath],
    ["connection-new", `/${slug}/connections/new`],
    ["workflows", `/${slug}/workflows`],
    ["workflow-new", `/${slug}/workflows/new`],
    ["workflow-runs", `/${slug}/workflows/${workflowId}/runs`],
    ["workflow-customizations", `/${slug}/workflows/${workflowId}/customizations`],
    ["demo", `/${slug}/demo`],
    ["demo-workflow", `/${slug}/demo/${workflowId}`],
    ["scan", `/${slug}/scan`],
    ["members", `/${slug}/settings/members`],
    ["api-keys", `/${slug}/settings/api-keys`],
    ["general", `/${slug}/settings/general`],
    ["audit", `/${slug}/settings/audit`],
    ["org-new", `/orgs/new`],
  ];
  for (const [name, path] of pages) {
    await page.setViewportSize(PHONE);
    await page.goto(path);
    await expect(page.locator("h1").first()).toBeVisible();
    await shotDesktopAndPhone(page, `mobile-${name}`);
  }

  // The auth pages, signed out.
  const context = await browser.newContext();
  const anon = await context.newPage();
  for (const [name, path] of [["sign-in", "/sign-in"], ["sign-up", "/sign-up"]] as const) {
    await anon.goto(path);
    await expect(anon.locator("h1").first()).toBeVisible();
    await shotDesktopAndPhone(anon, `mobile-${name}`);
  }
  await context.close();
});

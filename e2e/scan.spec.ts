import { expect, test, type Page } from "@playwright/test";
import { SignUpPage } from "./fixtures/auth-pages";
import { ConnectionsPage } from "./fixtures/connections-page";
import { seedDemoWorkflow, workflowRules } from "./fixtures/demo-data";
import { inviteTeammate } from "./fixtures/members-page";
import { fakePerson } from "./fixtures/people";
import { ScanPage } from "./fixtures/scan-page";
import { shot } from "./fixtures/screenshots";

// Issue 10, "the scan page acts": a PII scan of the demo source (a real PII_SCAN job on the
// real worker) shows its findings on the scan page itself, in words (category, evidence, masked
// example, the suggested rule, what each workflow does); one finding is added to a chosen
// workflow, and "add all suggestions" makes one version whose rules cover the rest. The
// workflows are seeded (the editor has its own specs); everything else is the UI.

const RULE_IDS = /\b(fake|date_shift|numeric_noise|json_paths|keep_last|mask|hash|null)\b/;

async function noHorizontalOverflow(page: Page) {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  expect(scroll, "the page is wider than the screen").toBeLessThanOrEqual(width);
}

test("the scan page shows findings in words and adds the suggested rules to a workflow", async ({ page, browser }) => {
  test.setTimeout(180_000);
  const slug = await new SignUpPage(page).signUp(fakePerson("scan"));
  await new ConnectionsPage(page, slug).addDemoConnections();
  const support = await seedDemoWorkflow(slug, { name: "Support twin", tables: [{ table: "companies" }, { table: "customers", rules: { email: { rule: "fake", kind: "email" } } }] });
  const analytics = await seedDemoWorkflow(slug, { name: "Analytics twin", tables: [{ table: "customers" }] });

  const scanner = new ScanPage(page, slug);
  // The scan runs on the real worker; its findings show on the scan page itself, without opening the job.
  await scanner.goto();
  const url = page.url();
  await scanner.scanAndWait("Demo production");
  expect(page.url()).toBe(url);
  const email = scanner.finding("customers", "email");
  await expect(email).toHaveAttribute("data-category", "email");
  await expect(email.getByTestId("finding-words")).toHaveText(/^Very likely looks like email addresses, \d+ of \d+ samples$/);
  await expect(email.getByTestId("suggestion")).toHaveText("Suggested rule: Fake email");
  // Masked examples only: no sampled value of the source appears on the page.
  await expect(email).not.toContainText(/[a-z0-9]{3,}@[a-z0-9-]{3,}\.[a-z]{2,}/);
  await expect(scanner.coverage("customers", "email", "Support twin")).toHaveAttribute("data-state", "covered");
  await expect(scanner.coverage("customers", "email", "Support twin")).toContainText("Fake email");
  await expect(scanner.coverage("customers", "phone", "Support twin")).toHaveAttribute("data-state", "unchanged");
  // Rules in words, never their ids.
  for (const text of await page.locator('[data-testid="suggestion"], [data-testid="coverage"]').allTextContents()) expect(text).not.toMatch(RULE_IDS);

  await page.setViewportSize({ width: 1440, height: 900 });
  await shot(page, "scan-page-1440");
  await page.setViewportSize({ width: 390, height: 844 });
  await noHorizontalOverflow(page);
  await shot(page, "scan-page-390");
  await page.setViewportSize({ width: 1280, height: 800 });

  // One finding into the workflow chosen among the two that copy customers.phone unchanged.
  const phone = scanner.finding("customers", "phone");
  await phone.getByLabel("Workflow for customers.phone").selectOption({ label: "Analytics twin" });
  await phone.getByRole("button", { name: /^Add .* to customers\.phone in Analytics twin$/ }).click();
  await expect(scanner.coverage("customers", "phone", "Analytics twin")).toHaveAttribute("data-state", "covered");
  await expect(scanner.coverage("customers", "phone", "Support twin")).toHaveAttribute("data-state", "unchanged");
  expect(await workflowRules(analytics)).toMatchObject({ version: 2, rules: { "customers.phone": expect.any(String) } });

  // The drift banner of Support twin offers the same "add all".
  await page.goto(`/${slug}/workflows/${support}/runs`);
  await expect(page.getByTestId("drift-add-all").getByRole("button", { name: /^Add all \d+ suggestions? to this workflow$/ })).toBeVisible();
  await shot(page, "workflow-drift-add-all");

  // An editor sees the flagged columns on the workflow, but no scan details, no button, and no
  // link to the scanner, which their role cannot open.
  const editor = await inviteTeammate(page, browser, slug, "EDITOR");
  try {
    const origin = new URL(editor.page.url()).origin;
    await editor.page.goto(`${origin}/${slug}/workflows/${support}/runs`);
    await expect(editor.page.locator('[data-testid="drift-column"][data-column="customers.phone"]')).toHaveText("customers.phone");
    await expect(editor.page.getByTestId("drift-add-all")).toHaveCount(0);
    await expect(editor.page.getByRole("link", { name: "Review the scan" })).toHaveCount(0);
    expect((await editor.page.goto(`${origin}/${slug}/scan`))?.status()).toBe(404);
  } finally {
    await editor.context.close();
  }

  // "Add all suggestions to Support twin": one new version covering every suggestion.
  await scanner.goto();
  const before = await scanner.unchangedIn("Support twin");
  const added = await scanner.addAll("Support twin");
  expect(added).toBeGreaterThan(0);
  const after = await workflowRules(support);
  expect(after.version).toBe(2);
  await expect(page.locator('[data-testid="workflow-coverage"][data-workflow="Support twin"]')).not.toHaveAttribute("data-unchanged", String(before.length));
  const left = await scanner.unchangedIn("Support twin");
  // What is left unchanged is what "add all" may not decide: weak hints and columns no rule fits.
  for (const f of left) expect(before.map((b) => b.column)).toContain(f.column);
  const addedColumns = before.filter((b) => !left.some((l) => l.column === b.column)).map((b) => b.column);
  expect(addedColumns).toHaveLength(added);
  for (const c of addedColumns) expect(after.rules[c], c).toBeTruthy();
  expect(after.rules["customers.email"]).toBe("fake");
  await shot(page, "scan-page-after-add-all");

  await page.goto(`/${slug}/workflows/${support}/runs`);
  await expect(page.getByRole("heading", { name: "Runs of Support twin" })).toBeVisible();
  await expect(page.getByTestId("drift-add-all")).toHaveCount(0);
});

import { expect, test } from "@playwright/test";
import { SignUpPage } from "./fixtures/auth-pages";
import { ConnectionsPage } from "./fixtures/connections-page";
import { seedDemoWorkflow, workflowRules } from "./fixtures/demo-data";
import { JobPage } from "./fixtures/jobs-page";
import { fakePerson } from "./fixtures/people";
import { ScanPage } from "./fixtures/scan-page";
import { shot } from "./fixtures/screenshots";

// Issue 5, test 3: a PII scan of the demo source (a real PII_SCAN job on the real worker)
// finds customers.email and customers.phone, and one click adds the suggested rule to a
// workflow. The workflow is seeded (the editor has its own specs); everything else is the UI.

test("PII scan finds the email and phone columns and adds a rule in one click", async ({ page }) => {
  test.setTimeout(120_000);
  const slug = await new SignUpPage(page).signUp(fakePerson("scan"));
  await new ConnectionsPage(page, slug).addDemoConnections();
  const workflowId = await seedDemoWorkflow(slug, { name: "Support twin", tables: [{ table: "companies" }, { table: "customers", rules: { email: { rule: "fake", kind: "email" } } }] });

  const scanner = new ScanPage(page, slug);
  await scanner.goto();
  await shot(page, "scan-start");
  await scanner.scan("Demo production");
  const job = new JobPage(page);
  const run = await job.watchUntilDone();
  expect(run.final).toBe("SUCCEEDED");
  await shot(page, "scan-job");
  await page.getByRole("link", { name: "See scan results" }).click();
  await expect(page.getByRole("heading", { name: "Scan of Demo production" })).toBeVisible();

  await expect(scanner.column("customers", "email")).toHaveAttribute("data-category", "email");
  await expect(scanner.column("customers", "phone")).toHaveAttribute("data-category", "phone");
  // Masked examples only: no sampled value of the source appears on the page.
  await expect(scanner.column("customers", "email")).not.toContainText(/[a-z0-9]{3,}@[a-z0-9-]{3,}\.[a-z]{2,}/);
  // email already has a rule in the workflow; phone does not, so the workflow shows drift.
  await expect(scanner.column("customers", "email").getByTestId("covered")).toBeVisible();
  await page.goto(`/${slug}/workflows/${workflowId}/runs`);
  await expect(page.locator('[data-testid="drift-column"][data-column="customers.phone"]')).toBeVisible();
  await shot(page, "workflow-runs-drift");
  await page.getByRole("link", { name: "Review the scan and add rules" }).click();

  const phoneRule = await scanner.addSuggestedRule("customers", "phone");
  await shot(page, "scan-results");
  const after = await workflowRules(workflowId);
  expect(after.version).toBe(2);
  expect(after.rules).toEqual({ "customers.email": "fake", "customers.phone": phoneRule });
  await page.goto(`/${slug}/workflows/${workflowId}/runs`);
  await expect(page.getByRole("heading", { name: "Runs of Support twin" })).toBeVisible();
  await expect(page.locator('[data-testid="drift-column"][data-column="customers.phone"]')).toHaveCount(0);
});

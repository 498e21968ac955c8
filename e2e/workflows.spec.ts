import { expect, test } from "@playwright/test";
import { SignUpPage } from "./fixtures/auth-pages";
import { ConnectionsPage } from "./fixtures/connections-page";
import { inviteTeammate } from "./fixtures/members-page";
import { fakePerson } from "./fixtures/people";
import { shot } from "./fixtures/screenshots";
import { WorkflowEditorPage } from "./fixtures/workflow-editor-page";

// The workflow editor (issue 5): three tables with rules on name, email and phone, saved as
// version 1, with a live preview of real demo rows (masked before -> redacted after).

test.describe.configure({ timeout: 120_000 });

test("an admin creates a workflow with three tables and rules on name, email and phone", async ({ page }) => {
  const slug = await new SignUpPage(page).signUp(fakePerson("admin"));
  await new ConnectionsPage(page, slug).addDemoConnections();

  await page.goto(`/${slug}/workflows`);
  await expect(page.getByText("No workflows yet")).toBeVisible();
  await shot(page, "workflows-empty");

  const editor = new WorkflowEditorPage(page, slug);
  await editor.gotoNew();
  await editor.setName("Nightly demo twin");
  await editor.chooseSource("Demo production");
  await page.getByLabel("Search tables").fill("comp");
  await expect(page.getByLabel("Copy table public.customers")).toHaveCount(0);
  await page.getByLabel("Search tables").fill("");
  for (const t of ["public.companies", "public.customers", "public.support_tickets"]) await editor.selectTable(t);
  await editor.waitForScan();

  await editor.setRule("public.customers", "first_name", "Fake first name");
  await editor.setRule("public.customers", "last_name", "Fake last name");
  await editor.setRule("public.customers", "email", "Fake email");
  await editor.setRule("public.customers", "phone", "Mask");
  await expect(page.getByLabel("Mask format for phone")).toHaveValue("phone");
  await editor.setRule("public.customers", "id", "Hash");
  await editor.openTable("public.support_tickets");
  await expect(editor.tableCard("public.support_tickets").getByTestId("follows").first()).toContainText("follows customers.id");
  await editor.openTable("public.customers");

  for (const t of ["public.companies", "public.customers", "public.support_tickets"]) await editor.markRestKeep(t);

  // Saving without an output: the message sits at the outputs.
  await page.getByRole("button", { name: "Create workflow" }).click();
  await expect(page.locator('[data-field="outputs"]')).toContainText("Choose at least one output");

  await editor.setTarget("Demo twin");
  await page.getByLabel("Run on a schedule").check();
  await expect(page.getByTestId("next-runs").locator("li")).toHaveCount(3);
  await page.getByText("Cron expression", { exact: true }).click();
  await page.getByLabel("Cron expression (UTC)").fill("not a cron");
  await expect(page.locator('[data-field="cron"]')).toContainText("not a valid cron expression");
  await page.getByLabel("Cron expression (UTC)").fill("30 2 * * *");
  await expect(page.getByTestId("next-runs")).toContainText("02:30 UTC");

  const preview = await editor.preview("public.customers", "email");
  const before = await preview.getByTestId("preview-before").allTextContents();
  const after = await preview.getByTestId("preview-after").allTextContents();
  expect(before.length).toBeGreaterThan(0);
  for (const b of before) expect(b).toMatch(/•••@/);
  for (const a of after) expect(a).toMatch(/^[^•\s]+@[^•\s]+$/);
  await shot(page, "workflow-editor");
  await preview.getByRole("button", { name: "Reveal originals" }).click();
  await expect(preview).toContainText("(originals shown)");
  const revealed = await preview.getByTestId("preview-before").allTextContents();
  for (const r of revealed) expect(r).not.toContain("•");

  const id = await editor.create();
  await expect(page.getByText("Workflow created (version 1)")).toBeVisible();
  await expect(editor.versionRow(1)).toContainText(/Created with 3 tables and \d+ rules/);
  await expect(page.getByRole("navigation", { name: "Workflow" }).getByRole("link", { name: "Workflow" })).toHaveAttribute("aria-current", "page");
  await shot(page, "workflow-page");

  // A second save is version 2, with what changed.
  await editor.setRule("public.customers", "phone", "Empty (NULL)");
  await page.getByRole("button", { name: "Save new version" }).click();
  await expect(page.getByText("Saved as version 2.")).toBeVisible();
  await expect(editor.versionRow(2)).toContainText("customers.phone → null");

  await page.goto(`/${slug}/workflows`);
  const row = page.locator(`[data-testid="workflow-row"][data-name="Nightly demo twin"]`);
  await expect(row).toContainText("Demo production");
  await expect(row).toContainText("Demo twin");
  await expect(row).toContainText("Every day at 02:30 UTC");
  await shot(page, "workflows-list");
  expect(id).toMatch(/^[0-9a-f-]{36}$/);
});

test("an editor sees a workflow read-only: no saving, previews with masked originals only", async ({ page, browser }) => {
  const slug = await new SignUpPage(page).signUp(fakePerson("owner"));
  await new ConnectionsPage(page, slug).addDemoConnections();
  const editor = new WorkflowEditorPage(page, slug);
  await editor.gotoNew();
  await editor.setName("Read-only check");
  await editor.chooseSource("Demo production");
  await editor.selectTable("public.customers");
  await editor.setRule("public.customers", "email", "Fake email");
  await editor.setTarget("Demo twin");
  const id = await editor.create();
  // Columns left undecided: saved, as a draft that does not run.
  await expect(page.getByText(/^Saved as a draft: \d+ columns? to review$/)).toBeVisible();
  const { page: p2, context: ctx } = await inviteTeammate(page, browser, slug, "EDITOR");
  try {
    const origin = new URL(p2.url()).origin;
    await p2.goto(`${origin}/${slug}/workflows/${id}`);
    await expect(p2.getByRole("heading", { name: "Read-only check" })).toBeVisible();
    await expect(p2.getByText("only admins can change it")).toBeVisible();
    await expect(p2.getByRole("button", { name: "Save new version" })).toHaveCount(0);
    await expect(p2.getByLabel("Workflow name")).toBeDisabled();
    await expect(p2.getByLabel("Rule for public.customers.email", { exact: true })).toBeDisabled();
    const preview = await new WorkflowEditorPage(p2, slug).preview("public.customers", "email");
    for (const b of await preview.getByTestId("preview-before").allTextContents()) expect(b).toMatch(/•••@/);
    await expect(preview.getByRole("button", { name: "Reveal originals" })).toHaveCount(0);
    await shot(p2, "workflow-page-editor-role");
    expect((await p2.goto(`${origin}/${slug}/workflows/new`))?.status()).toBe(404);
  } finally {
    await ctx.close();
  }
});

import { expect, test } from "@playwright/test";
import { SignUpPage } from "./fixtures/auth-pages";
import { ConnectionsPage } from "./fixtures/connections-page";
import { seedDemoWorkflow } from "./fixtures/demo-data";
import { CustomizationsPage, DemoPage } from "./fixtures/demo-page";
import { inviteTeammate } from "./fixtures/members-page";
import { fakePerson } from "./fixtures/people";
import { shot } from "./fixtures/screenshots";

// Issue 5, test 4 (and the customization pages): an editor fills in demo values but never sees
// SQL or connection settings; a viewer cannot start a run — the button is not there, and the
// server refuses it (here through the run API with a viewer key; the server action's refusal
// is in lib/server/services/customizations/customizations.int.test.ts).

const STATEMENT = "UPDATE companies SET name = %(company_name)s WHERE id = 1";

test("an editor fills in the demo without seeing SQL or connections; a viewer cannot start a run", async ({ page, browser, request }) => {
  test.setTimeout(120_000);
  const slug = await new SignUpPage(page).signUp(fakePerson("admin"));
  const connections = new ConnectionsPage(page, slug);
  await connections.addDemoConnections();
  const sourceRow = connections.row("Demo production");
  const connectionHref = await sourceRow.getByRole("link").first().getAttribute("href");
  const workflowId = await seedDemoWorkflow(slug, { name: "Sales demo", tables: [{ table: "companies" }, { table: "customers" }] });

  // The admin defines the customization; its parameter row appears as the statement is typed.
  const customizations = new CustomizationsPage(page, slug, workflowId);
  await customizations.goto();
  await customizations.add("Prospect's company", STATEMENT, { company_name: "Company name" });
  await expect(page.getByTestId("customization-statement")).toHaveText(STATEMENT);
  await shot(page, "workflow-customizations");
  // A statement that is two statements is refused with the engine's message, at the field.
  const form = page.getByRole("form", { name: "New customization" });
  await form.getByLabel("Name").fill("Twice");
  await form.getByLabel("SQL statement").fill(`${STATEMENT}; DELETE FROM companies`);
  await form.getByRole("button", { name: "Add customization" }).click();
  await expect(form.getByText("Only one SQL statement is allowed per customization")).toBeVisible();

  // A viewer API key, made on the API keys page: shown once, with a curl example.
  await page.goto(`/${slug}/settings/api-keys`);
  await page.getByLabel("Key name").fill("Read-only dashboard");
  await page.getByLabel("Role", { exact: true }).selectOption("VIEWER");
  await page.getByRole("button", { name: "Create key" }).click();
  const viewerKey = await page.getByTestId("new-api-key").inputValue();
  expect(viewerKey).toMatch(/^dpl_/);
  await expect(page.getByTestId("curl-example")).toContainText(`/api/v1/workflows/${workflowId}/runs`);
  await shot(page, "api-keys");
  await page.reload();
  await expect(page.locator('[data-testid="api-key-row"][data-name="Read-only dashboard"]')).toContainText(viewerKey.slice(0, 12));
  await expect(page.getByTestId("new-api-key")).toHaveCount(0);

  const editor = await inviteTeammate(page, browser, slug, "EDITOR");
  const viewer = await inviteTeammate(page, browser, slug, "VIEWER");
  try {
    // Editor: no connections anywhere, not even by URL; the demo form has typed inputs only.
    const e = editor.page;
    const nav = e.getByRole("navigation", { name: "Organisation" });
    await expect(nav.getByRole("link", { name: "Demos" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Connections" })).toHaveCount(0);
    await expect(nav.getByRole("link", { name: "PII scanner" })).toHaveCount(0);
    for (const url of [`/${slug}/connections`, connectionHref!, `/${slug}/scan`, `/${slug}/settings/api-keys`]) {
      const res = await e.goto(url);
      expect(res?.status(), url).toBe(404);
    }
    const demo = new DemoPage(e, slug);
    await demo.gotoList();
    await shot(e, "demos");
    await demo.open("Sales demo");
    await expect(e.getByText("UPDATE companies")).toHaveCount(0);
    await expect(e.getByText(/127\.0\.0\.1|localhost|password/i)).toHaveCount(0);
    await demo.fill({ "Company name": "Initech" });
    await demo.saveValues();
    await shot(e, "demo-form");
    await e.goto(`/${slug}/workflows/${workflowId}/customizations`);
    await expect(e.getByText("Current value: Initech")).toBeVisible();
    await expect(e.getByText("UPDATE companies")).toHaveCount(0);
    await expect(e.getByRole("form", { name: "New customization" })).toHaveCount(0);
    // Nor is the statement in the workflow page's HTML or RSC payload (the client editor gets the
    // config without customizations).
    await e.goto(`/${slug}/workflows/${workflowId}`);
    await expect(e.getByRole("heading", { name: "Sales demo", exact: true })).toBeVisible();
    expect(await e.content()).not.toContain("UPDATE companies");
    for (const headers of [{}, { RSC: "1" }] as Record<string, string>[]) {
      const res = await e.request.get(`/${slug}/workflows/${workflowId}`, { headers });
      expect(res.ok()).toBe(true);
      const body = await res.text();
      expect(body).toContain(workflowId);
      expect(body).not.toContain("UPDATE companies");
    }

    // Viewer: sees runs and values, but no button starts a run ...
    const v = viewer.page;
    await v.goto(`/${slug}/workflows/${workflowId}/runs`);
    await expect(v.getByRole("heading", { name: "Runs of Sales demo" })).toBeVisible();
    await expect(v.getByRole("button", { name: "Run now" })).toHaveCount(0);
    await v.goto(`/${slug}/demo/${workflowId}`);
    await expect(v.getByRole("heading", { name: "Next demo: Sales demo" })).toBeVisible();
    await expect(v.getByLabel("Company name")).toHaveAttribute("readonly", "");
    await expect(v.getByRole("button", { name: "Reset demo now" })).toHaveCount(0);
    // ... and the server refuses it anyway.
    const res = await request.post(`/api/v1/workflows/${workflowId}/runs`, { headers: { authorization: `Bearer ${viewerKey}` } });
    expect(res.status()).toBe(403);
    expect((await res.json()).error.code).toBe("FORBIDDEN");
    await v.goto(`/${slug}/jobs`);
    await expect(v.getByText("No runs yet")).toBeVisible();
    await shot(v, "jobs-empty-viewer");
  } finally {
    await editor.context.close();
    await viewer.context.close();
  }
});

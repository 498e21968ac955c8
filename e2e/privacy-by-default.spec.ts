import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { SignUpPage } from "./fixtures/auth-pages";
import { ConnectionsPage } from "./fixtures/connections-page";
import { queryDemo } from "./fixtures/demo-data";
import { JobPage } from "./fixtures/jobs-page";
import { fakePerson } from "./fixtures/people";
import { shot } from "./fixtures/screenshots";
import { WorkflowEditorPage } from "./fixtures/workflow-editor-page";

// Issue 10: privacy by default. A new workflow on the demo databases: choosing tables samples
// them and pre-selects the scanner's suggestions; the person accepts them and marks the rest
// "keep as is"; the run's twin holds no source email, city or postal code. Then a column appears
// in the source: the next run is refused, naming it; reviewed in the editor, the run succeeds.
// The drift part uses a table of this spec's own in the organisation's own demo source.

test.describe.configure({ timeout: 240_000 });

type Row = { id: string; email: string; city: string | null; postal_code: string | null };

test("the scanner's suggestions fill a new workflow; a new source column stops the next run until reviewed", async ({ page }) => {
  const slug = await new SignUpPage(page).signUp(fakePerson("admin"));
  await new ConnectionsPage(page, slug).addDemoConnections();
  const probe = `e2e_loyalty_${randomBytes(4).toString("hex")}`;
  await queryDemo(slug, "source", `CREATE TABLE ${probe} (id int PRIMARY KEY, points int NOT NULL)`);
  await queryDemo(slug, "source", `INSERT INTO ${probe} SELECT g, g * 10 FROM generate_series(1, 20) g`);
  // Owned by the organisation's demo role, as the seeded tables are (the fixture connects as the server's admin).
  await queryDemo(slug, "source", `DO $$ BEGIN EXECUTE format('ALTER TABLE ${probe} OWNER TO %I', (SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'customers')); END $$`);
  try {
    const editor = new WorkflowEditorPage(page, slug);
    await editor.gotoNew();
    await editor.setName("Private by default");
    await editor.chooseSource("Demo production");
    const tables = ["public.companies", "public.customers", "public.orders", `public.${probe}`];
    for (const t of tables) await editor.selectTable(t);
    await editor.waitForScan();

    // Pre-selected, in words, waiting for a person to accept them.
    await editor.openTable("public.customers");
    const email = editor.columnRow("public.customers", "email");
    await expect(email).toHaveAttribute("data-state", "suggested");
    await expect(page.getByLabel("Rule for public.customers.email", { exact: true })).toHaveValue("fake:email");
    await expect(email.getByTestId("finding")).toContainText(/looks like email addresses, \d+ of \d+ samples/);
    for (const c of ["city", "postal_code"]) await expect(editor.columnRow("public.customers", c)).toHaveAttribute("data-state", "suggested");
    // Keys and references: no unfit rules; a reference to a copied table offers only what keeps it matching.
    const idChoices = await page.getByLabel("Rule for public.customers.id", { exact: true }).locator("option").allTextContents();
    expect(idChoices).not.toContain("Add noise");
    expect(await page.getByLabel("Rule for public.customers.company_id", { exact: true }).locator("option").allTextContents()).toEqual(["To review: choose…", "Keep as is"]);
    // Nothing is copied unreviewed by default: the count is there before any click.
    const before = Number(await editor.totalUnreviewed().getAttribute("data-count"));
    expect(before).toBeGreaterThan(0);
    await page.setViewportSize({ width: 1440, height: 900 });
    await shot(page, "editor-suggestions-1440");
    await page.setViewportSize({ width: 390, height: 844 });
    const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    expect(scroll, "the editor is wider than a 390 px screen").toBeLessThanOrEqual(client);
    await shot(page, "editor-suggestions-390");
    await page.getByRole("heading", { name: /^Rules \(/ }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: "test-output/screenshots/editor-suggestions-390-rules.png" });
    await editor.columnRow("public.customers", "first_name").scrollIntoViewIfNeeded();
    await page.screenshot({ path: "test-output/screenshots/editor-suggestions-390-columns.png" });
    await page.setViewportSize({ width: 1280, height: 800 });

    for (const t of tables) {
      const card = await editor.openTable(t);
      const accept = card.getByRole("button", { name: /^Accept \d+ suggestions?$/ });
      if (await accept.isVisible()) await accept.click();
      await editor.markRestKeep(t);
    }
    await expect(email).toHaveCount(0); // another table is open now
    await editor.openTable("public.customers");
    await expect(email).toHaveAttribute("data-state", "reviewed");
    await expect(editor.totalUnreviewed()).toHaveAttribute("data-count", "0");
    await editor.setTarget("Demo twin");
    const workflowId = await editor.create();
    await expect(page.getByText("Workflow created (version 1)")).toBeVisible();

    await runNow(page);
    const job = new JobPage(page);
    await job.waitForJobPage();
    expect((await job.watchUntilDone()).final).toBe("SUCCEEDED");
    const source = await queryDemo<Row>(slug, "source", "SELECT id::text, email, city, postal_code FROM customers");
    const twin = new Map((await queryDemo<Row>(slug, "target", "SELECT id::text, email, city, postal_code FROM customers")).map((r) => [r.id, r]));
    expect(twin.size).toBe(source.length);
    const sourceEmails = new Set(source.map((r) => r.email));
    expect([...twin.values()].filter((r) => sourceEmails.has(r.email))).toEqual([]);
    // A fake city or postal code may coincide with the real one by chance (a few in thousands);
    // a column copied unchanged would match on every row.
    for (const c of ["city", "postal_code"] as const) {
      const same = source.filter((r) => r[c] !== null && twin.get(r.id)?.[c] === r[c]).length;
      expect(same, `${c}: rows still holding the source value`).toBeLessThan(source.length / 100);
    }

    // A column added to the source after the version was saved: the next run stops, naming it.
    await queryDemo(slug, "source", `ALTER TABLE ${probe} ADD COLUMN member_note text`);
    await page.goto(`/${slug}/workflows/${workflowId}`);
    await runNow(page);
    await expect(page.getByText(/member_note/).first()).toBeVisible({ timeout: 45_000 });

    // Reviewed in the editor (after reading the source's tables again), the run succeeds.
    await page.goto(`/${slug}/workflows/${workflowId}`);
    await page.getByRole("button", { name: "Refresh table list" }).click();
    await editor.openTable(`public.${probe}`);
    await expect(editor.columnRow(`public.${probe}`, "member_note")).toHaveAttribute("data-state", "unreviewed", { timeout: 60_000 });
    await expect(editor.totalUnreviewed()).toHaveAttribute("data-count", "1");
    await editor.setRule(`public.${probe}`, "member_note", "Empty (NULL)");
    await expect(editor.totalUnreviewed()).toHaveAttribute("data-count", "0");
    await page.getByRole("button", { name: "Save new version" }).click();
    await expect(page.getByText("Saved as version 2.")).toBeVisible();
    await runNow(page);
    await job.waitForJobPage();
    expect((await job.watchUntilDone()).final).toBe("SUCCEEDED");
  } finally {
    await queryDemo(slug, "source", `DROP TABLE IF EXISTS ${probe}`);
    await queryDemo(slug, "target", `DROP TABLE IF EXISTS ${probe}`).catch(() => {});
  }
});

async function runNow(page: import("@playwright/test").Page) {
  await page.getByRole("button", { name: "Run now" }).click();
}

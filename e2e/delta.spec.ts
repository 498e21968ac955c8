import { randomBytes } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { SignUpPage } from "./fixtures/auth-pages";
import { ConnectionsPage } from "./fixtures/connections-page";
import { queryDemo } from "./fixtures/demo-data";
import { JobPage } from "./fixtures/jobs-page";
import { fakePerson } from "./fixtures/people";
import { shot } from "./fixtures/screenshots";
import { WorkflowEditorPage } from "./fixtures/workflow-editor-page";

// Issue 11, the web flow with the real worker and demo databases: delta updates are turned on in
// the editor, which suggests each table's change column from the catalog and says before any
// run which table is copied in full and why; the first run is a full one, then inserts, updates
// and a delete on the source reach the twin through a delta run, whose page shows the mode, the
// rows inserted/updated/deleted and the watermark; the runs lists and the run-history chart tell
// delta runs from full ones. Orders get a soft-delete column picked in the editor (customers may
// not have one: orders reference them), and a foreign-key cycle between two tables of the spec's
// own is warned of as a whole full run before the tables are left out again.

test.describe.configure({ timeout: 240_000 });

const TABLES = ["public.companies", "public.customers", "public.orders"];

test("delta updates from the editor: run twice, the second run applies only the changes", async ({ page }) => {
  const slug = await new SignUpPage(page).signUp(fakePerson("admin"));
  await new ConnectionsPage(page, slug).addDemoConnections();
  // Before the table list is read: a soft-delete column on orders, a customer without orders (deleted later), two tables whose keys form a cycle.
  const cycle = [`e2e_cycle_a_${randomBytes(3).toString("hex")}`, `e2e_cycle_b_${randomBytes(3).toString("hex")}`];
  await queryDemo(slug, "source", `ALTER TABLE orders ADD COLUMN is_deleted boolean NOT NULL DEFAULT false`);
  await queryDemo(slug, "source", `DELETE FROM orders WHERE customer_id = (SELECT max(id) FROM customers)`);
  await queryDemo(slug, "source", `CREATE TABLE ${cycle[0]} (id int PRIMARY KEY, b_id int); CREATE TABLE ${cycle[1]} (id int PRIMARY KEY, a_id int REFERENCES ${cycle[0]});
    ALTER TABLE ${cycle[0]} ADD FOREIGN KEY (b_id) REFERENCES ${cycle[1]};
    DO $$ BEGIN EXECUTE format('ALTER TABLE ${cycle[0]} OWNER TO %1$I; ALTER TABLE ${cycle[1]} OWNER TO %1$I', (SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'customers')); END $$`);
  const editor = new WorkflowEditorPage(page, slug);
  await editor.gotoNew();
  await editor.setName("Fresh twin");
  await editor.chooseSource("Demo production");
  for (const t of TABLES) await editor.selectTable(t);
  await editor.waitForScan();
  for (const t of TABLES) {
    const card = await editor.openTable(t);
    const accept = card.getByRole("button", { name: /^Accept \d+ suggestions?$/ });
    if (await accept.isVisible()) await accept.click();
    await editor.markRestKeep(t);
  }
  await expect(editor.totalUnreviewed()).toHaveAttribute("data-count", "0");
  await editor.setTarget("Demo twin");

  // Off by default; on, each table gets the catalog's suggestion and the editor says what a run will do.
  const settings = page.getByTestId("delta-settings");
  const toggle = settings.getByLabel("Keep the twin fresh with delta updates");
  await expect(toggle).not.toBeChecked();
  await expect(settings.getByTestId("delta-table")).toHaveCount(0);
  await toggle.focus();
  await page.keyboard.press("Space");
  await expect(toggle).toBeChecked();
  const row = (t: string) => settings.locator(`[data-testid="delta-table"][data-table="${t}"]`);
  await expect(page.getByLabel("Change column of public.customers")).toHaveValue("updated_at");
  await expect(row("public.customers")).toHaveAttribute("data-mode", "delta");
  await expect(page.getByLabel("Change column of public.companies")).toHaveValue("created_at");
  await expect(row("public.companies").getByTestId("delta-note")).toContainText("new rows only");
  // orders has a timestamp (ordered_at) that is not a change column: offered, not suggested; copied in full until chosen.
  await expect(page.getByLabel("Change column of public.orders")).toHaveValue("");
  await expect(page.getByLabel("Change column of public.orders").locator("option")).toHaveText(["None: copy in full", "Row versions (xmin): no timestamp needed", "ordered_at"]);
  await expect(row("public.orders")).toHaveAttribute("data-mode", "full");
  await expect(row("public.orders").getByTestId("delta-note")).toContainText("no change column is set for this table");
  await expect(page.getByTestId("delta-summary")).toHaveText("2 of 3 tables delta-updated; the others are copied in full on every run.");
  // Deletes: comparing keys until a soft-delete column is picked, which needs change detection; customers are referenced by orders, so none is offered.
  const deletes = (t: string) => page.getByLabel(`Deletes of ${t}`);
  await expect(deletes("public.orders")).toBeDisabled();
  await page.getByLabel("Change column of public.orders").selectOption("xmin");
  await expect(deletes("public.orders").locator("option")).toHaveText(["Deletes: compare keys (default)", "is_deleted (true: deleted) (suggested)"]);
  await deletes("public.orders").selectOption("is_deleted");
  await expect(row("public.orders")).toHaveAttribute("data-mode", "delta");
  await expect(row("public.orders").getByTestId("delta-note")).toContainText("rows marked deleted by is_deleted are removed from the twin");
  await expect(deletes("public.customers")).toBeDisabled();
  await expect(deletes("public.customers").locator("option")).toHaveText(["Deletes: compare keys (default)"]);
  await expect(row("public.customers").getByTestId("soft-delete-refused")).toHaveText(/^No soft-delete column: public\.orders references it \(foreign key orders_customer_id_fkey\)/);
  const warnings = settings.getByTestId("delta-warning");
  await expect(warnings).toHaveText(["The next run copies every table in full (first run of delta updates into this target); the runs after it read only the changes."]);
  // Two tables whose foreign keys form a cycle: every run would be a full one, said before saving.
  for (const t of cycle) await editor.selectTable(`public.${t}`);
  await expect(settings.locator('[data-testid="delta-warning"][data-kind="every-run"]')).toHaveText("Every run copies every table in full: the selected tables' foreign keys form a cycle, which delta runs cannot order.");
  // A time window makes a table a full copy too, and the editor says so at once.
  await editor.openTable("public.companies");
  await editor.tableCard("public.companies").getByLabel("Only recent rows").check();
  await expect(row("public.companies")).toHaveAttribute("data-mode", "full");
  await expect(row("public.companies").getByTestId("delta-note")).toContainText("the table has a time-window or row filter");
  await editor.tableCard("public.companies").getByLabel("All rows").check();
  await expect(row("public.companies")).toHaveAttribute("data-mode", "delta");

  for (const [width, name] of [[1440, "editor-delta-1440"], [390, "editor-delta-390"]] as const) {
    await page.setViewportSize({ width, height: 900 });
    await settings.scrollIntoViewIfNeeded();
    if (width === 390) {
      const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
      expect(scroll, "the editor is wider than a 390 px screen").toBeLessThanOrEqual(client);
    }
    // The sticky save bar would cover the part's lower rows; the grid is shown whole (it scrolls past 28rem).
    await settings.screenshot({ path: `test-output/screenshots/${name}.png`, style: ".sticky { position: static !important; } [data-testid=delta-settings] ul { max-height: none !important; }" });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  for (const t of cycle) await page.getByLabel(`Copy table public.${t}`).uncheck();
  await expect(settings.locator('[data-testid="delta-warning"][data-kind="every-run"]')).toHaveCount(0);
  const workflowId = await editor.create();

  // The saved version keeps the settings.
  await expect(page.getByTestId("delta-settings").getByLabel("Keep the twin fresh with delta updates")).toBeChecked();
  await expect(page.getByLabel("Change column of public.customers")).toHaveValue("updated_at");
  await expect(deletes("public.orders")).toHaveValue("is_deleted");

  const job = new JobPage(page);
  await page.getByRole("button", { name: "Run now" }).click();
  await job.waitForJobPage();
  expect((await job.watchUntilDone()).final).toBe("SUCCEEDED");
  await expect(page.getByTestId("clone-report")).toContainText("Full run");

  // Between the runs: one customer added, two changed, one removed (with its tickets; it has no orders), one order soft-deleted.
  const email = `delta-${randomBytes(4).toString("hex")}@example.test`;
  await queryDemo(slug, "source", `INSERT INTO customers (company_id, first_name, last_name, email) SELECT min(id), 'Delta', 'Tester', $1 FROM companies`, [email]);
  await queryDemo(slug, "source", `UPDATE customers SET notes = 'changed between runs', updated_at = now() WHERE id IN (SELECT id FROM customers ORDER BY id LIMIT 2)`);
  const [gone] = await queryDemo<{ id: string }>(slug, "source", `SELECT max(id)::text AS id FROM customers WHERE email <> $1`, [email]);
  await queryDemo(slug, "source", `DELETE FROM support_tickets WHERE customer_id = $1`, [gone.id]);
  await queryDemo(slug, "source", `DELETE FROM customers WHERE id = $1`, [gone.id]);
  const [softGone] = await queryDemo<{ id: string }>(slug, "source", `UPDATE orders SET is_deleted = true WHERE id = (SELECT min(id) FROM orders) RETURNING id::text`);

  await page.goto(`/${slug}/workflows/${workflowId}`);
  await page.getByRole("button", { name: "Run now" }).click();
  await job.waitForJobPage();
  expect((await job.watchUntilDone()).final).toBe("SUCCEEDED");
  const report = (t: string) => page.locator(`[data-testid="report-table"][data-table="${t}"]`);
  await expect(page.getByTestId("clone-report")).toContainText("Delta run ·");
  await expect(report("public.customers").getByTestId("table-mode")).toHaveText("Delta");
  await expect(report("public.customers").getByTestId("table-changes")).toHaveText("1 inserted · 2 updated · 1 deleted");
  await expect(report("public.customers")).toContainText(/changes since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
  await expect(report("public.orders").getByTestId("table-mode")).toHaveText("Delta");
  await expect(report("public.orders").getByTestId("table-changes")).toHaveText("0 inserted · 0 updated · 1 deleted");
  const twin = await queryDemo<{ n: number }>(slug, "target", `SELECT count(*)::int AS n FROM customers WHERE id = $1`, [gone.id]);
  expect(twin[0].n, "the deleted customer is gone from the twin").toBe(0);
  const twinOrder = await queryDemo<{ n: number }>(slug, "target", `SELECT count(*)::int AS n FROM orders WHERE id = $1`, [softGone.id]);
  expect(twinOrder[0].n, "the soft-deleted order is gone from the twin").toBe(0);
  const deltaJobId = job.jobId;

  // The runs lists tell the delta run from the full one; the chart draws them apart.
  for (const path of [`/${slug}/jobs`, `/${slug}/workflows/${workflowId}/runs`]) {
    await page.goto(path);
    await expect(page.locator(`[data-testid="job-row"][data-job-id="${deltaJobId}"]`).getByTestId("delta-run")).toHaveAttribute("data-run", "delta");
    await expect(page.locator('[data-testid="job-row"]').getByTestId("delta-run")).toHaveText(["Delta", "Full"]);
  }
  await page.goto(`/${slug}/jobs`);
  await shots(page, "runs-delta");
  await page.goto(`/${slug}/workflows/${workflowId}`);
  const chart = page.getByTestId("run-history-chart");
  await expect(chart.locator('[data-testid="run-history-bar"][data-run="delta"]')).toHaveCount(2); // one bar per series
  await expect(chart.locator('[data-testid="run-history-bar"][data-run="full"]')).toHaveCount(2);
  await expect(page.getByTestId("run-history-legend")).toContainText("Delta run");
  for (const [width, name] of [[1440, "run-history-delta-1440"], [390, "run-history-delta-390"]] as const) {
    await page.setViewportSize({ width, height: 900 });
    await chart.screenshot({ path: `test-output/screenshots/${name}.png` });
  }
});

async function shots(page: Page, name: string) {
  for (const width of [1440, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await shot(page, `${name}-${width}`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

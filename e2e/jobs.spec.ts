import { expect, test } from "@playwright/test";
import { SignUpPage } from "./fixtures/auth-pages";
import { ConnectionsPage } from "./fixtures/connections-page";
import { fakeRunningJob, seedDemoWorkflow } from "./fixtures/demo-data";
import { fakePerson } from "./fixtures/people";
import { shot } from "./fixtures/screenshots";

// The job page's live view. A demo clone finishes in under a second, too fast to watch, so
// here the spec plays the worker: it writes progress, log lines and the end into the app
// database the way lib/jobs does, and the page (polling GET /api/jobs/{id}) must follow
// without a reload, then stop polling.

const table = (name: string, rowsDone: number, phase = "copying") => ({ schema: "public", table: name, phase, rowsDone, bytesDone: rowsDone * 120, rowsEstimate: 1000 });

const REPORT = {
  tables: [{ schema: "public", table: "customers", rowsRead: 1000, rowsWritten: 1000, rowsFiltered: 0, rowsKeptForReferences: 0, bytes: 120_000, durationMs: 900, mode: "full", rules: [{ column: "email", rule: "fake", detail: "email" }] }],
  privacyCheck: { passed: true, columnsChecked: 1, valuesChecked: 1000, leaks: [] },
  outputs: { target: { database: "demo_twin", schemas: ["public"] } },
  customizations: [],
  skipped: [],
  totals: { rowsRead: 1000, rowsWritten: 1000, bytes: 120_000, durationMs: 900 },
};

test.describe.configure({ timeout: 90_000 });

async function setup(page: import("@playwright/test").Page) {
  const slug = await new SignUpPage(page).signUp(fakePerson("ops"));
  await new ConnectionsPage(page, slug).addDemoConnections();
  const workflowId = await seedDemoWorkflow(slug, { name: "Nightly twin", tables: [{ table: "customers" }] });
  return { slug, workflowId };
}

const bar = (page: import("@playwright/test").Page, t: string) => page.locator(`[data-testid="table-progress"][data-table="public.${t}"]`).getByRole("progressbar");

test("progress bars advance live, the log grows, and polling stops when the run ends", async ({ page }) => {
  const { slug, workflowId } = await setup(page);
  const job = await fakeRunningJob(slug, workflowId);
  await job.progress([table("customers", 100)]);
  // Fake timers that keep flowing in real time: at the end the spec fires the poller's timers by hand.
  await page.clock.install();
  await page.goto(`/${slug}/jobs/${job.id}`);
  await expect(page.getByTestId("job-status")).toHaveAttribute("data-status", "RUNNING");
  await expect(bar(page, "customers")).toHaveAttribute("aria-valuenow", "10");

  await job.progress([table("customers", 600)]);
  await job.log("Copied 600 rows of public.customers.");
  await expect(bar(page, "customers")).toHaveAttribute("aria-valuenow", "60");
  await page.getByTestId("run-details").locator("summary").click(); // the log is under Details
  await expect(page.getByRole("list", { name: "Log lines" })).toContainText("Copied 600 rows of public.customers.");
  await shot(page, "job-running");

  await job.progress([table("customers", 1000, "done")]);
  await job.finish("SUCCEEDED", { report: REPORT });
  await expect(page.getByTestId("job-status")).toHaveAttribute("data-status", "SUCCEEDED");
  await expect(page.getByTestId("clone-report")).toBeVisible(); // rendered by the server after the end
  await expect(bar(page, "customers")).toHaveAttribute("aria-valuenow", "100");

  // No more polling once the run has ended: fire ten poll intervals' worth of the page's timers
  // at once, then send one request of our own. A page's requests are reported in the order it
  // makes them, so once ours is seen, a poll fired by those timers would have been seen too.
  const polls: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes(`/api/jobs/${job.id}`)) polls.push(r.url());
  });
  await page.clock.runFor(10_000);
  const marker = page.waitForRequest((r) => r.url().endsWith("/api/health?after-timers"));
  await page.evaluate(() => void fetch("/api/health?after-timers"));
  await marker;
  expect(polls).toEqual([]);
});

test("cancel from the page, and a failed run explains itself in plain words", async ({ page }) => {
  const { slug, workflowId } = await setup(page);
  const running = await fakeRunningJob(slug, workflowId);
  await running.progress([table("customers", 300)]);
  await page.goto(`/${slug}/jobs/${running.id}`);
  await page.getByRole("button", { name: "Cancel run" }).click();
  await expect(page.getByTestId("job-status")).toContainText("Canceling…");
  expect(await running.cancelRequested()).not.toBeNull();
  await running.finish("CANCELED");
  await expect(page.getByTestId("job-status")).toHaveAttribute("data-status", "CANCELED");
  await expect(page.getByText("This run was canceled")).toBeVisible();

  const failed = await fakeRunningJob(slug, workflowId);
  await failed.finish("FAILED", { error: { code: "SOURCE_AUTH_FAILED", message: "The source database rejected the user name or password.", hint: "Open the connection, enter the right password and test it." } });
  await page.goto(`/${slug}/jobs/${failed.id}`);
  await expect(page.getByTestId("job-error")).toHaveText("The source database rejected the user name or password.");
  await expect(page.getByText("Open the connection, enter the right password and test it.")).toBeVisible();
  // The code is for support, under the collapsed Details only; no JSON or stack anywhere.
  await expect(page.getByText(/"code"|at \w+ \(/)).toHaveCount(0);
  await expect(page.getByTestId("run-details")).not.toHaveAttribute("open");
  await expect(page.getByText("SOURCE_AUTH_FAILED")).toBeHidden();
  await expect(page.getByTestId("run-details")).toContainText("SOURCE_AUTH_FAILED");
  await shot(page, "job-failed");

  await page.goto(`/${slug}/jobs?status=FAILED`);
  await expect(page.getByTestId("job-row")).toHaveCount(1);
  await page.goto(`/${slug}`);
  await expect(page.getByTestId("dashboard-failure")).toContainText("The source database rejected the user name or password.");
  await shot(page, "dashboard-failure");
});

test("a delta run's report shows each table's mode, why full, and the rows inserted, updated and deleted", async ({ page }) => {
  const { slug, workflowId } = await setup(page);
  const job = await fakeRunningJob(slug, workflowId);
  const delta = {
    ...REPORT,
    tables: [
      { ...REPORT.tables[0], rowsRead: 13, rowsWritten: 13, mode: "delta", rowsInserted: 10, rowsUpdated: 3, rowsDeleted: 1, watermark: { from: "2026-12-02 01:40:00+00", to: "2026-12-02 01:45:00+00" } },
      { ...REPORT.tables[0], table: "countries", rules: [], rowsRead: 4, rowsWritten: 2, mode: "full", fullReason: "no change column is set for this table", rowsInserted: 1, rowsUpdated: 1, rowsDeleted: 1 },
    ],
    delta: { run: "delta", tables: [] },
  };
  await job.finish("SUCCEEDED", { report: delta });
  await page.goto(`/${slug}/jobs/${job.id}`);
  const row = (t: string) => page.locator(`[data-testid="report-table"][data-table="public.${t}"]`);
  await expect(page.getByTestId("clone-report")).toContainText("Delta run ·");
  await expect(row("customers").getByTestId("table-mode")).toHaveText("Delta");
  await expect(row("customers")).toContainText("changes since 2026-12-02 01:40:00+00");
  await expect(row("customers").getByTestId("table-changes")).toHaveText("10 inserted · 3 updated · 1 deleted");
  await expect(row("countries").getByTestId("table-mode")).toHaveText("Full");
  await expect(row("countries")).toContainText("no change column is set for this table");
  for (const [width, name] of [[1440, "job-delta-report-1440"], [390, "job-delta-report-390"]] as const) {
    await page.setViewportSize({ width, height: 900 });
    await shot(page, name);
  }
});

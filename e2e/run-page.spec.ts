import { expect, type Page, test } from "@playwright/test";
import pg from "pg";
import { SignUpPage } from "./fixtures/auth-pages";
import { ConnectionsPage } from "./fixtures/connections-page";
import { demoDatabaseUrls, fakeRunningJob, replaceCustomizations, seedDemoWorkflow } from "./fixtures/demo-data";
import { JobPage } from "./fixtures/jobs-page";
import { fakePerson } from "./fixtures/people";
import { shot } from "./fixtures/screenshots";

// Issue 15, the run page: it says in words what happened. With the real worker: a demo reset
// that succeeds shows the values it used; one whose customization fails on the target is red,
// names the failing step and shows no full green bar; the engine's code, attempts and worker
// stay in a collapsed Details; after the two runs the workflow page charts them. Screenshots of
// each state at 1440 and 390 px, with no horizontal overflow on the phone.

const COMPANY = { name: "Prospect's company", statement: "UPDATE companies SET name = %(company_name)s WHERE id = 1", params: [{ name: "company_name", label: "Company name", type: "text" }] };
// Valid SQL that the target refuses when it runs: the run fails while applying the customizations.
const BROKEN = { ...COMPANY, statement: "UPDATE companies SET name = %(company_name)s WHERE id = 1 / 0" };

test.describe.configure({ timeout: 180_000 });

async function bothWidths(page: Page, name: string) {
  for (const [width, label] of [[1440, "1440"], [390, "390"]] as const) {
    await page.setViewportSize({ width, height: 900 });
    await shot(page, `${name}-${label}`);
    if (width === 390) {
      // The page must not scroll sideways; the message names the widest element that sticks out.
      const { overflow, culprit } = await page.evaluate(() => {
        const vw = document.documentElement.clientWidth;
        const clipped = (el: Element) => {
          for (let p = el.parentElement; p; p = p.parentElement) if (getComputedStyle(p).overflowX !== "visible") return true;
          return false;
        };
        const out = [...document.querySelectorAll("body *")].filter((el) => el.getBoundingClientRect().right > vw + 0.5 && !clipped(el));
        const last = out.at(-1);
        return { overflow: document.documentElement.scrollWidth - vw, culprit: last ? `${last.tagName.toLowerCase()}.${last.className}` : "" };
      });
      expect(overflow, `${name} is wider than a 390 px screen (${culprit})`).toBeLessThanOrEqual(0);
    }
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

test("a demo reset's page shows the values it used; a failed run is red with its step; the workflow page charts both", async ({ page }) => {
  const slug = await new SignUpPage(page).signUp(fakePerson("ops"));
  await new ConnectionsPage(page, slug).addDemoConnections();
  const workflowId = await seedDemoWorkflow(slug, { name: "Sales demo", tables: [{ table: "companies" }, { table: "customers" }], customizations: [COMPANY], values: { company_name: "Acme Corp" } });
  const job = new JobPage(page);

  // Run 1, held at the start by another session's lock on the target (the engine's TARGET_LOCK),
  // so the page can be seen running; then let go.
  const holder = new pg.Client({ connectionString: (await demoDatabaseUrls(slug)).target });
  await holder.connect();
  try {
    await holder.query("SELECT pg_advisory_lock(7270737, 1)");
    await page.goto(`/${slug}/workflows/${workflowId}`);
    await page.getByRole("button", { name: "Run now" }).click();
    await job.waitForJobPage();
    await expect(page.getByTestId("job-status")).toHaveAttribute("data-status", "RUNNING", { timeout: 60_000 });
    await expect(page.getByTestId("run-now")).toBeVisible();
    await expect(page.getByTestId("table-phase").first()).toBeVisible();
    await bothWidths(page, "run-page-running");
    await holder.query("SELECT pg_advisory_unlock(7270737, 1)");
  } finally {
    await holder.end();
  }
  await expect(page.getByTestId("run-outcome")).toHaveAttribute("data-status", "SUCCEEDED", { timeout: 120_000 });
  await expect(page.getByTestId("run-outcome-title")).toHaveText(/^Copied [\d,]+ rows of 2 tables in /);
  await expect(page.getByTestId("run-outcome")).toContainText("With Company name “Acme Corp”.");
  const used = page.locator('[data-testid="value-used"][data-name="company_name"]');
  await expect(used).toContainText("Company name");
  await expect(used).toContainText("Acme Corp");
  await expect(page.locator('[data-testid="table-bar"]')).toHaveCount(2);
  await expect(page.locator('[data-testid="table-bar"][data-tone="done"]')).toHaveCount(2);
  // Attempts, worker and log: collapsed by default, there when opened.
  const details = page.getByTestId("run-details");
  await expect(details).not.toHaveAttribute("open");
  await expect(page.getByText("1 of 5", { exact: true })).toBeHidden();
  await expect(page.getByRole("list", { name: "Log lines" })).toBeHidden();
  // One date format: relative, the exact UTC time on hover.
  const when = page.getByRole("main").getByTestId("relative-time").first();
  await expect(when).toHaveText(/just now|minute/);
  await expect(when).toHaveAttribute("title", /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
  await bothWidths(page, "run-page-succeeded");
  await details.locator("summary").click();
  await expect(page.getByText("1 of 5", { exact: true })).toBeVisible();
  await expect(page.getByRole("list", { name: "Log lines" })).toContainText("Attempt 1 of 5 started on worker");

  // Run 2: the customization now fails on the target.
  const firstRun = job.jobId;
  await replaceCustomizations(workflowId, [BROKEN]);
  await page.goto(`/${slug}/workflows/${workflowId}`);
  await page.getByRole("button", { name: "Run now" }).click();
  await page.waitForURL((u) => /\/jobs\/[0-9a-f-]{36}$/.test(u.pathname) && !u.pathname.endsWith(firstRun));
  const outcome = page.getByTestId("run-outcome");
  await expect(outcome).toHaveAttribute("data-status", "FAILED", { timeout: 120_000 });
  await expect(page.getByTestId("run-outcome-title")).toHaveText("Failed while applying the customizations");
  await expect(outcome).toHaveAttribute("role", "alert");
  await expect(outcome).toHaveClass(/bg-red-50/);
  await expect(page.getByTestId("job-error")).toContainText('Customization "Prospect\'s company" failed');
  await expect(page.getByTestId("job-hint")).toBeVisible();
  await expect(outcome).not.toContainText("CUSTOMIZATION_FAILED");
  // The tables were copied but not kept: no bar is green.
  await expect(page.locator('[data-testid="table-bar"]')).toHaveCount(2);
  await expect(page.locator('[data-testid="table-bar"][data-tone="done"]')).toHaveCount(0);
  await expect(page.getByTestId("run-details")).not.toHaveAttribute("open");
  await expect(page.getByText("CUSTOMIZATION_FAILED", { exact: true })).toBeHidden();
  await bothWidths(page, "run-page-failed");
  await page.getByTestId("run-details").locator("summary").click();
  await expect(page.getByText("CUSTOMIZATION_FAILED", { exact: true })).toBeVisible();

  // The workflow page: a history chart of the two runs, oldest first.
  await page.goto(`/${slug}/workflows/${workflowId}`);
  const chart = page.getByTestId("run-history-chart");
  await expect(chart).toHaveAttribute("data-runs", "2");
  const bars = chart.getByRole("img", { name: "Duration of the last 2 runs" }).getByTestId("run-history-bar");
  await expect(bars).toHaveCount(2);
  expect(await bars.evaluateAll((els) => els.map((e) => e.getAttribute("data-status")))).toEqual(["SUCCEEDED", "FAILED"]);
  await expect(page.getByTestId("relative-time").first()).toHaveAttribute("title", /UTC$/);
  await bothWidths(page, "workflow-page");
});

test("while a table copies, its bar shows the phase and the rate in rows per second", async ({ page }) => {
  const slug = await new SignUpPage(page).signUp(fakePerson("ops"));
  await new ConnectionsPage(page, slug).addDemoConnections();
  const workflowId = await seedDemoWorkflow(slug, { name: "Nightly twin", tables: [{ table: "customers" }] });
  const run = await fakeRunningJob(slug, workflowId);
  const table = (rowsDone: number, phase: string) => ({ schema: "public", table: "customers", phase, rowsDone, bytesDone: rowsDone * 100, rowsEstimate: 10_000 });
  await run.progress([table(1000, "copying")]);
  const polled = page.waitForResponse((r) => r.url().includes(`/api/jobs/${run.id}`));
  await page.goto(`/${slug}/jobs/${run.id}`);
  await polled; // the page has seen 1,000 rows
  const row = page.locator('[data-testid="table-progress"][data-table="public.customers"]');
  await expect(row.getByTestId("table-phase")).toHaveText("Copying");
  await expect(row.getByTestId("table-rate")).toHaveCount(0);
  await run.progress([table(6000, "copying")]);
  await expect(row.getByTestId("table-rate")).toHaveText(/^ · [\d,]+ rows\/s$/);
  await expect(page.getByTestId("run-now")).toContainText("Copying and redacting: public.customers");
  await run.progress([table(10_000, "indexing")]);
  await expect(row.getByTestId("table-phase")).toHaveText("Indexing");
  await expect(row.getByTestId("table-rate")).toHaveCount(0);
  await run.progress([table(10_000, "done")]);
  await expect(row.getByTestId("table-phase")).toHaveText("Done");
  await run.finish("FAILED", { error: { code: "TARGET_DDL_FAILED", message: "The target refused to create table public.customers.", hint: "Check the target's extensions." } });
  await expect(page.getByTestId("run-outcome-title")).toHaveText("Failed while creating the tables in the target");
});

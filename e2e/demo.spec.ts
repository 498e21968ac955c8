import { expect, test } from "@playwright/test";
import pg from "pg";
import { SignUpPage } from "./fixtures/auth-pages";
import { ConnectionsPage } from "./fixtures/connections-page";
import { demoDatabaseUrls, queryDemo } from "./fixtures/demo-data";
import { CustomizationsPage, DemoPage } from "./fixtures/demo-page";
import { inviteTeammate } from "./fixtures/members-page";
import { JobPage } from "./fixtures/jobs-page";
import { fakePerson } from "./fixtures/people";
import { shot } from "./fixtures/screenshots";
import { WorkflowEditorPage } from "./fixtures/workflow-editor-page";

// Issue 5, test 1 — the demo story, end to end on a production build with a real worker and
// the real demo databases: sign up, connect and test the demo databases, build a workflow with
// three tables and rules on name/email/phone, define a customization; an editor invited through
// the UI sets "Acme Corp" and resets the demo; the run's page updates by itself until the
// report; the twin (queried from this process) has redacted people and "Acme Corp".

const STATEMENT = "UPDATE companies SET name = %(company_name)s WHERE id = 1";
const TABLES = ["companies", "customers", "orders"] as const;

test("the demo story: a salesperson resets the demo twin for Acme Corp", async ({ page, browser }) => {
  test.setTimeout(240_000);
  const slug = await new SignUpPage(page).signUp(fakePerson("admin"));

  const connections = new ConnectionsPage(page, slug);
  await connections.addDemoConnections();
  for (const name of ["Demo production", "Demo twin"]) {
    await connections.open(name);
    await expect(await connections.test()).toHaveAttribute("data-status", "success");
  }

  const editor = new WorkflowEditorPage(page, slug);
  await editor.gotoNew();
  await editor.setName("Sales demo twin");
  await editor.chooseSource("Demo production");
  for (const t of TABLES) await editor.selectTable(`public.${t}`);
  await editor.waitForScan();
  for (const [column, rule] of [["first_name", "Fake first name"], ["last_name", "Fake last name"], ["email", "Fake email"]]) await editor.setRule("public.customers", column, rule);
  await editor.setRule("public.customers", "phone", "Mask");
  for (const t of TABLES) await editor.markRestKeep(`public.${t}`);
  await editor.setTarget("Demo twin");
  const workflowId = await editor.create();

  const customizations = new CustomizationsPage(page, slug, workflowId);
  await customizations.goto();
  await customizations.add("Prospect's company", STATEMENT, { company_name: "Company name" });

  const teammate = await inviteTeammate(page, browser, slug, "EDITOR");
  try {
    const e = teammate.page;
    const demo = new DemoPage(e, slug);
    await demo.gotoList();
    await demo.open("Sales demo twin");
    await demo.fill({ "Company name": "Acme Corp" });
    // Every poll response the run's page gets, in the order it gets them (bodies are read in
    // the background; `seq` keeps the order): what its status, phase and bars were driven by.
    type Polled = { url: string; status: string; phase: string | null; tables: { table: string; phase: string; rowsDone: number }[] };
    const polled: Polled[] = [];
    const reading: Promise<void>[] = [];
    let seq = 0;
    e.on("response", (r) => {
      if (!/\/api\/jobs\/[0-9a-f-]{36}/.test(r.url()) || !r.ok()) return;
      const i = seq++;
      reading.push(r.json().then((b: { status: string; progress: { phase: string | null; tables: { schema: string; table: string; phase: string; rowsDone: number }[] } | null }) => {
        polled[i] = { url: r.url(), status: b.status, phase: b.progress?.phase ?? null, tables: (b.progress?.tables ?? []).map((t) => ({ table: `${t.schema}.${t.table}`, phase: t.phase, rowsDone: t.rowsDone })) };
      }, () => {}));
    });
    // The demo clone takes about a second, less than the page's poll interval. To watch its bars
    // move with the real worker, the spec plays another run into the twin: it holds the engine's
    // target lock (TARGET_LOCK in lib/pipeline/target-lock.ts), so the run starts, lists its tables
    // as queued and waits for the target until the page has polled it running with a table not
    // done; then the spec lets go and the run goes on to the end.
    const holder = new pg.Client({ connectionString: (await demoDatabaseUrls(slug)).target });
    await holder.connect();
    let watched: Awaited<ReturnType<JobPage["watchUntilDone"]>>;
    let jobId: string;
    const job = new JobPage(e);
    try {
      await holder.query("SELECT pg_advisory_lock(7270737, 1)");
      const caughtRunning = e.waitForResponse(async (r) => {
        if (!/\/api\/jobs\/[0-9a-f-]{36}/.test(r.url()) || !r.ok()) return false;
        const b = (await r.json().catch(() => null)) as { status: string; progress: { tables: { phase: string }[] } | null } | null;
        return b?.status === "RUNNING" && !!b.progress?.tables.some((t) => t.phase !== "done");
      }, { timeout: 120_000 });
      await demo.resetNow();
      // The run's page polls by itself: it shows the run before it ends, then the report.
      await job.waitForJobPage();
      jobId = job.jobId;
      await caughtRunning;
      await holder.query("SELECT pg_advisory_unlock(7270737, 1)");
      watched = await job.watchUntilDone(180_000);
    } finally {
      await holder.end();
    }
    expect(watched.final, `statuses seen: ${watched.statuses.join(" → ")}`).toBe("SUCCEEDED");
    expect(["QUEUED", "RUNNING"]).toContain(watched.statuses[0]);

    const [counts] = await queryDemo<Record<(typeof TABLES)[number], number>>(
      slug,
      "source",
      `SELECT (SELECT count(*) FROM companies)::int AS companies, (SELECT count(*) FROM customers)::int AS customers, (SELECT count(*) FROM orders)::int AS orders`,
    );
    const expected = Object.fromEntries(TABLES.map((t) => [`public.${t}`, counts![t]]));
    expect(await job.reportRows()).toEqual(expected);
    // The progress bars ended full: the rows they show are the rows written.
    expect(await job.progressRows()).toEqual(expected);

    // What the page's polls reported, in order, with the real worker: the run's status and every
    // table's phase only move forward, rows never go back, a table the page saw not done while
    // running ends done, and the last poll has every table done with the rows written.
    await Promise.all(reading);
    const polls = polled.filter((p) => p?.url.includes(`/api/jobs/${jobId}`));
    const STATUS_ORDER = ["QUEUED", "RUNNING", "SUCCEEDED"];
    const PHASE_ORDER = ["queued", "copying", "indexing", "done"];
    const rank = (order: string[], v: string) => {
      expect(order, `unexpected state ${v}`).toContain(v);
      return order.indexOf(v);
    };
    const sequence = polls.map((p) => `${p.status}${p.phase ? `/${p.phase}` : ""} [${p.tables.map((t) => `${t.table}:${t.phase}:${t.rowsDone}`).join(" ")}]`);
    expect(polls.length, "the page polled the run").toBeGreaterThan(0);
    for (const [i, p] of polls.entries()) {
      if (i === 0) continue;
      const before = polls[i - 1]!;
      expect(rank(STATUS_ORDER, p.status), sequence.join(" → ")).toBeGreaterThanOrEqual(rank(STATUS_ORDER, before.status));
      for (const t of p.tables) {
        const prev = before.tables.find((x) => x.table === t.table);
        if (!prev) continue;
        expect(rank(PHASE_ORDER, t.phase), sequence.join(" → ")).toBeGreaterThanOrEqual(rank(PHASE_ORDER, prev.phase));
        expect(t.rowsDone, sequence.join(" → ")).toBeGreaterThanOrEqual(prev.rowsDone);
      }
    }
    const last = polls.at(-1)!;
    const running = polls.find((p) => p.status === "RUNNING" && p.tables.some((t) => t.phase !== "done"));
    expect(running, sequence.join(" → ")).toBeDefined();
    // Found by "running with a table not done"; what it must also show: every table of the run
    // (none missing while the run is under way), no more rows than the table has, and each table
    // it saw not done ends done in the last poll with all its rows.
    expect(running!.tables.map((t) => t.table).sort(), sequence.join(" → ")).toEqual(Object.keys(expected).sort());
    for (const t of running!.tables) expect(t.rowsDone, sequence.join(" → ")).toBeLessThanOrEqual(expected[t.table]!);
    for (const t of running!.tables.filter((x) => x.phase !== "done")) {
      expect(last.tables.find((x) => x.table === t.table), sequence.join(" → ")).toEqual({ table: t.table, phase: "done", rowsDone: expected[t.table] });
    }
    expect(last.status).toBe("SUCCEEDED");
    expect(Object.fromEntries(last.tables.map((t) => [t.table, t.rowsDone]))).toEqual(expected);
    expect(last.tables.every((t) => t.phase === "done"), sequence.join(" → ")).toBe(true);
    console.log(`demo run as the page's polls saw it: ${sequence.join(" → ")}`);
    await expect(e.getByTestId("privacy-check")).toHaveAttribute("data-passed", "true");
    await expect(e.getByTestId("customizations-applied")).toContainText("Prospect's company: 1 row changed");
    await shot(e, "job-report");

    // The twin: "Acme Corp", and no source email or phone left on any person.
    const [company] = await queryDemo<{ name: string }>(slug, "target", "SELECT name FROM companies WHERE id = 1");
    expect(company!.name).toBe("Acme Corp");
    const source = await queryDemo<{ email: string; phone: string | null }>(slug, "source", "SELECT email, phone FROM customers");
    const twin = await queryDemo<{ email: string; phone: string | null }>(slug, "target", "SELECT email, phone FROM customers");
    expect(twin).toHaveLength(source.length);
    const sourceEmails = new Set(source.map((r) => r.email));
    const sourcePhones = new Set(source.map((r) => r.phone).filter(Boolean));
    expect(twin.filter((r) => sourceEmails.has(r.email))).toEqual([]);
    expect(twin.filter((r) => r.phone && sourcePhones.has(r.phone))).toEqual([]);
    expect(twin.every((r) => /^[^@\s]+@[^@\s]+$/.test(r.email))).toBe(true);

    // The history shows the run, started by the editor, with its row count.
    await e.goto(`/${slug}/jobs`);
    const row = e.locator(`[data-testid="job-row"][data-job-id="${jobId}"]`);
    await expect(row).toContainText(teammate.person.name);
    await expect(row).toContainText(Object.values(expected).reduce((a, b) => a + b, 0).toLocaleString("en-US"));
    await shot(e, "jobs");
  } finally {
    await teammate.context.close();
  }

  // The admin's dashboard: the workflow's last run.
  await page.goto(`/${slug}`);
  await expect(page.locator('[data-testid="dashboard-workflow"][data-name="Sales demo twin"]').getByTestId("job-status")).toHaveAttribute("data-status", "SUCCEEDED");
  await expect(page.getByTestId("no-failures")).toBeVisible();
  await shot(page, "dashboard-with-runs");
  await page.goto(`/${slug}/workflows/${workflowId}/runs`);
  await expect(page.getByTestId("job-row")).toHaveCount(1);
  await shot(page, "workflow-runs");
});

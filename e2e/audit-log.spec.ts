import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { SignUpPage } from "./fixtures/auth-pages";
import { inviteTeammate } from "./fixtures/members-page";
import { shotDesktopAndPhone } from "./fixtures/mobile";
import { fakePerson } from "./fixtures/people";

// Issue 15, the audit log: filtered by who, what and UTC dates through the URL (so a view can be
// linked), and exported as CSV with the same filter, through the same permission as the page (a
// viewer gets the 404 of a stranger). The CSV defuses a cell a spreadsheet would run as a formula.

test.describe.configure({ timeout: 180_000 });

const FORMULA_NAME = "=1+2 Labs";

test("an owner filters the audit log by person, action and date and downloads the rows as CSV", async ({ page, browser }) => {
  const owner = fakePerson("owner");
  const slug = await new SignUpPage(page).signUp(owner);
  await page.goto(`/${slug}/settings/general`);
  await page.getByLabel("Organisation name").fill(FORMULA_NAME);
  await page.locator("form", { has: page.getByLabel("Organisation name") }).getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("current-org")).toHaveText(FORMULA_NAME);
  const viewer = await inviteTeammate(page, browser, slug, "VIEWER");

  // The viewer may not read the log: neither the page nor its export.
  expect((await viewer.page.request.get(`/${slug}/settings/audit/export`)).status()).toBe(404);
  expect((await viewer.page.goto(`/${slug}/settings/audit`))?.status()).toBe(404);
  await viewer.context.close();

  const audit = `/${slug}/settings/audit`;
  await page.goto(audit);
  const rows = page.getByTestId("audit-row");
  await expect(rows.filter({ hasText: viewer.person.email }).first()).toBeVisible();

  // Who: only the viewer's entries (they joined through the invite).
  await page.getByLabel("Who").selectOption({ label: viewer.person.email });
  await page.getByRole("button", { name: "Apply" }).click();
  await page.waitForURL((u) => u.searchParams.get("actor") !== null);
  await expect(page.locator('[data-testid="audit-row"][data-action="invite.accepted"]')).toHaveCount(1);
  await expect(page.locator('[data-testid="audit-row"][data-action="org.renamed"]')).toHaveCount(0);
  for (const who of await rows.locator("td:nth-child(2)").allInnerTexts()) expect(who).toContain(viewer.person.email);

  // What: the rename only, by anyone; the URL holds the filter, so the view can be linked.
  await page.getByLabel("Who").selectOption("");
  await page.getByLabel("What").selectOption("org.renamed");
  await page.getByRole("button", { name: "Apply" }).click();
  await page.waitForURL((u) => u.searchParams.get("action") === "org.renamed" && !u.searchParams.has("actor"));
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute("data-action", "org.renamed");
  // The form's empty fields are not in the link.
  expect(new URL(page.url()).search).toBe("?action=org.renamed");
  const linked = page.url();
  await page.goto(audit);
  await expect(rows).not.toHaveCount(1);
  await page.goto(linked);
  await expect(rows).toHaveCount(1);
  await expect(page.getByLabel("What")).toHaveValue("org.renamed");

  // Dates (UTC days, inclusive): today keeps the row, from tomorrow on there is nothing.
  const today = new Date().toISOString().slice(0, 10);
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  await page.getByLabel("From (UTC)").fill(today);
  await page.getByLabel("To (UTC)").fill(today);
  await page.getByRole("button", { name: "Apply" }).click();
  await page.waitForURL((u) => u.searchParams.get("from") === today && u.searchParams.get("to") === today);
  await expect(rows).toHaveCount(1);
  await shotDesktopAndPhone(page, "audit-filtered");

  // Export CSV: the rows of this filter, as an attachment named for the organisation.
  await page.setViewportSize({ width: 1280, height: 800 });
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("audit-export").click()]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^doppel-audit-${slug}-\\d{4}-\\d\\d-\\d\\d\\.csv$`));
  const csv = readFileSync((await download.path())!, "utf8");
  const lines = csv.split("\r\n");
  expect(lines[0]).toBe("When (UTC),Who,Action,What,Target,Change,Details");
  expect(lines.at(-1)).toBe("");
  expect(lines).toHaveLength(3);
  // The name a spreadsheet would evaluate starts with an apostrophe.
  expect(lines[1]).toMatch(new RegExp(`^${today}T[\\d:.]+Z,${owner.email.replace(/[.+]/g, "\\$&")},org\\.renamed,Renamed the organisation,'=1\\+2 Labs,,$`));

  // The route answers with CSV headers, and the whole log (no filter) holds the invite and the join.
  const res = await page.request.get(`/${slug}/settings/audit/export`);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toBe("text/csv; charset=utf-8");
  expect(res.headers()["content-disposition"]).toMatch(/^attachment; filename="doppel-audit-.+\.csv"$/);
  const all = await res.text();
  expect(all).toContain(`,invite.sent,Invited,${viewer.person.email},as viewer,role=VIEWER\r\n`);
  expect(all).toContain(`${viewer.person.email},invite.accepted,`);

  // From tomorrow on: nothing, in the page and in the export.
  await page.goto(`${audit}?from=${tomorrow}`);
  await expect(page.getByText("No entries match these filters")).toBeVisible();
  const empty = await (await page.request.get(`/${slug}/settings/audit/export?from=${tomorrow}`)).text();
  expect(empty).toBe("When (UTC),Who,Action,What,Target,Change,Details\r\n");
});

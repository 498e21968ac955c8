import { expect, type Page, test } from "@playwright/test";
import { SignUpPage } from "./fixtures/auth-pages";
import { ConnectionsPage } from "./fixtures/connections-page";
import { fakePerson } from "./fixtures/people";
import { shot } from "./fixtures/screenshots";

// The connection form tests before it saves (issue 15): "Test and save" runs the real worker's
// test on the settings as typed and saves only when it passes; a failed test saves nothing; TLS
// defaults to require for a server that is not on this machine.

test.describe.configure({ timeout: 120_000 });

/** The test server's sign-in (the demo databases live on it; the egress allow-list names it). */
function serverLogin() {
  const u = new URL(process.env.DATABASE_URL!);
  return { user: decodeURIComponent(u.username || "postgres"), password: decodeURIComponent(u.password) };
}

/** Host, port and database of the organisation's demo source, as its row shows them (host:port/database). */
async function demoSource(connections: ConnectionsPage) {
  await connections.goto();
  const summary = (await connections.row("Demo production").locator("td").nth(2).innerText()).trim();
  const m = /^(.+):(\d+)\/(.+)$/.exec(summary)!;
  return { host: m[1]!, port: m[2]!, database: m[3]! };
}

async function fillPostgres(page: Page, s: { name: string; host: string; port: string; database: string; user: string; password: string }) {
  await page.getByLabel("Name").fill(s.name);
  await page.getByLabel("Host").fill(s.host);
  await page.getByLabel("Port").fill(s.port);
  await page.getByLabel("Database").fill(s.database);
  await page.getByLabel("User").fill(s.user);
  await page.getByLabel("Password", { exact: true }).fill(s.password);
}

test("Test and save: the demo database passes the worker's test and is then saved, already tested", async ({ page }) => {
  const slug = await new SignUpPage(page).signUp(fakePerson("admin"));
  const connections = new ConnectionsPage(page, slug);
  await connections.addDemoConnections();
  const demo = await demoSource(connections);
  await expect(page.getByTestId("connection-row")).toHaveCount(2);

  await page.goto(`/${slug}/connections/new?kind=POSTGRES`);
  await fillPostgres(page, { name: "Tested copy", ...demo, ...serverLogin() });
  // The demo server is on this machine: no TLS by default.
  await expect(page.getByLabel("TLS")).toHaveValue("disable");
  await page.getByRole("button", { name: "Test and save" }).click();
  await expect(page.getByRole("heading", { name: "Tested copy", exact: true })).toBeVisible({ timeout: 45_000 });
  await expect(page.getByText("Connection tested and saved.")).toBeVisible();
  // The form's test is the connection's latest test.
  await expect(page.getByTestId("test-result")).toHaveAttribute("data-status", "success");
  await expect(page.getByTestId("test-result")).toContainText(/PostgreSQL \d+/);
  await connections.goto();
  await expect(page.getByTestId("connection-row")).toHaveCount(3);
  await expect(connections.row("Tested copy")).toContainText("Works");
});

test("a failed test shows the reason in words and saves nothing", async ({ page }) => {
  const slug = await new SignUpPage(page).signUp(fakePerson("admin"));
  const connections = new ConnectionsPage(page, slug);
  await connections.addDemoConnections();
  const demo = await demoSource(connections);
  const login = serverLogin();
  // A server that checks passwords gets a wrong one; one that trusts local connections ignores
  // passwords, and an unknown user gets the same refusal there.
  const wrong = login.password
    ? { user: login.user, password: `wrong-${Math.random().toString(36).slice(2, 10)}` }
    : { user: `nobody_${Math.random().toString(36).slice(2, 8)}`, password: "whatever" };

  await page.goto(`/${slug}/connections/new?kind=POSTGRES`);
  await fillPostgres(page, { name: "Wrong password", ...demo, ...wrong });
  await page.getByRole("button", { name: "Test and save" }).click();
  const result = page.getByTestId("form-test-result");
  await expect(result).toBeVisible({ timeout: 45_000 });
  await expect(result.getByTestId("test-result")).toHaveAttribute("data-status", "failure");
  await expect(result).toContainText("The PostgreSQL server refused the user name or password");
  await expect(result).toContainText("Nothing was saved");
  await expect(result).not.toContainText(/source|target|SQLSTATE/);
  await expect(page).toHaveURL(/\/connections\/new/);
  await expect(page.getByLabel("Password", { exact: true })).toHaveValue(wrong.password); // still there to correct
  await expect(page.getByLabel("TLS")).toHaveValue("disable"); // what was tested, also after the form's reset
  await shot(page, "connection-form-test-failed");

  // "Test" alone with the right sign-in: passes, and still saves nothing.
  await page.getByLabel("User").fill(login.user);
  await page.getByLabel("Password", { exact: true }).fill(login.password);
  await page.getByRole("button", { name: "Test", exact: true }).click();
  await expect(result.getByTestId("test-result")).toHaveAttribute("data-status", "success", { timeout: 45_000 });
  await connections.goto();
  await expect(page.getByTestId("connection-row")).toHaveCount(2);
  await expect(connections.row("Wrong password")).toHaveCount(0);
});

test("TLS defaults to require for a public host name and to disable for this machine; the form fits a phone", async ({ page }) => {
  const slug = await new SignUpPage(page).signUp(fakePerson("admin"));
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`/${slug}/connections/new?kind=POSTGRES`);
  const tls = page.getByLabel("TLS");
  await expect(tls).toHaveValue("require"); // nothing typed yet: not this machine
  await page.getByLabel("Name").fill("Production");
  await page.getByLabel("Host").fill("db.example.com");
  await expect(tls).toHaveValue("require");
  await expect(page.getByText("The default for a server elsewhere.")).toBeVisible();
  await page.getByLabel("Database").fill("app");
  await page.getByLabel("User").fill("readonly");
  await shot(page, "connection-form-1440");
  await page.getByLabel("Host").fill("localhost");
  await expect(tls).toHaveValue("disable");
  // A mode someone chose stays, whatever the host.
  await tls.selectOption("verify-full");
  await page.getByLabel("Host").fill("db.example.com");
  await expect(tls).toHaveValue("verify-full");
  await tls.selectOption("require");

  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await page.getByLabel("Host").fill("db.example.com");
  await expect(tls).toHaveValue("require");
  await shot(page, "connection-form-390");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, "horizontal overflow at 390 px").toBeLessThanOrEqual(0);
});

import { expect, test } from "@playwright/test";
import { EGRESS_REFUSED_MESSAGE } from "../lib/egress/policy";
import { recordingListener } from "../test/egress";
import { SignUpPage } from "./fixtures/auth-pages";
import { ConnectionsPage } from "./fixtures/connections-page";
import { fakePerson } from "./fixtures/people";
import { seedConnection } from "./fixtures/seed-db";

// The egress policy through the production build and its real worker (issue 9): internal hosts are
// refused on the form's host field, and a stored one is refused by the worker without a packet
// reaching the listener that stands at that address.

test.describe.configure({ timeout: 120_000 });

test("internal hosts are refused at save and by the worker, without a packet", async ({ page }) => {
  const listener = await recordingListener();
  try {
    const slug = await new SignUpPage(page).signUp(fakePerson("admin"));
    for (const host of ["127.1", "localhost", "0x7f000001", "::ffff:127.0.0.1", "169.254.169.254", "/var/run/postgresql"]) {
      await page.goto(`/${slug}/connections/new`);
      await page.getByLabel("Name").fill(`Internal ${host}`);
      await page.getByLabel("Host").fill(host);
      await page.getByLabel("Port").fill(String(listener.port));
      await page.getByLabel("Database").fill("postgres");
      await page.getByLabel("User").fill("postgres");
      await page.getByLabel("Password", { exact: true }).fill("pw");
      await page.getByRole("button", { name: "Save connection" }).click();
      await expect(page.getByText(EGRESS_REFUSED_MESSAGE), host).toBeVisible();
    }
    await page.goto(`/${slug}/connections/new?kind=S3`);
    await page.getByLabel("Name").fill("Internal bucket");
    await page.getByLabel("Endpoint", { exact: true }).fill(`http://[::ffff:7f00:1]:${listener.port}`);
    await page.getByLabel("Bucket", { exact: true }).fill("exports");
    await page.getByLabel("Access key id", { exact: true }).fill("AK");
    await page.getByLabel("Secret access key", { exact: true }).fill("secret");
    await page.getByRole("button", { name: "Save connection" }).click();
    await expect(page.getByText(EGRESS_REFUSED_MESSAGE)).toBeVisible();

    const connections = new ConnectionsPage(page, slug);
    await connections.goto();
    await expect(page.getByText("Internal", { exact: false })).toHaveCount(0);

    // A connection stored before the policy (or before the allow-list changed) is refused by the worker.
    await seedConnection(slug, "Old internal", { host: "127.0.0.1", port: listener.port, database: "postgres", user: "postgres", tlsMode: "disable" });
    await connections.goto();
    await connections.open("Old internal");
    const result = await connections.test();
    await expect(result).toHaveAttribute("data-status", "failure");
    await expect(result).toContainText("DOPPEL_EGRESS_ALLOW");
    expect(listener.connections()).toBe(0);
  } finally {
    await listener.close();
  }
});

import { defineConfig, devices } from "@playwright/test";

// Browser tests against a production build (`npm test` builds first; the quick-start script
// serves it with --skip-build). PLAYWRIGHT_BASE_URL points the specs at an already running
// server instead (e.g. `next dev` while iterating).

// E2E_PORT lets two checkouts run their browser tests at once.
const PORT = Number(process.env.E2E_PORT ?? 3210);
const external = process.env.PLAYWRIGHT_BASE_URL;

export default defineConfig({
  testDir: "e2e",
  globalSetup: "./e2e/global-setup.ts",
  outputDir: "test-results",
  fullyParallel: false,
  workers: process.env.CI ? 1 : 2,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // npm test sums the JSON report's counts into its closing line.
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [["list"], ["json"]] : [["list"]],
  use: {
    // localhost, not 127.0.0.1: the start script sets NEXTAUTH_URL to http://localhost:PORT, and
    // session cookies and invite links follow that host.
    baseURL: external ?? `http://localhost:${PORT}`,
    trace: "off",
    screenshot: "off",
    video: "off",
    ...devices["Desktop Chrome"],
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    },
  },
  webServer: external
    ? undefined
    : {
        command: `npx tsx scripts/start.ts --port ${PORT} --skip-build`,
        url: `http://127.0.0.1:${PORT}/api/health`,
        reuseExistingServer: !process.env.CI,
        timeout: 120_000,
        stdout: "pipe",
        stderr: "pipe",
      },
});

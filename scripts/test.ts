// `npm test`: the whole suite, in the order a failure is cheapest to find:
// type-check, lint, unit + integration tests (vitest; real PostgreSQL), then the browser tests
// (Playwright + Debian's chromium) against a production build with a real worker.
// Database: TEST_DATABASE_URL or DATABASE_URL if set (a local server), else embedded PostgreSQL.
// Ends with one line "tests: N passed, N failed, N skipped" summed over vitest and Playwright.
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { mkdir, readFile, rm } from "node:fs/promises";
import pg from "pg";
import { migrate } from "../lib/db/migrate";
import { withDatabase } from "../lib/dev/url";
import { egressEntryOf } from "../test/egress";
import { startTestServer } from "../test/pg-server";
import { buildIsCurrent, recordBuild } from "./build-fingerprint";
import { bin, generatePrismaClientIfStale, run } from "./util";

const totals = { passed: 0, failed: 0, skipped: 0 };
const timings: string[] = [];

async function step(name: string, fn: () => Promise<void>) {
  const t = Date.now();
  console.log(`\n=== ${name}`);
  try {
    await fn();
  } finally {
    timings.push(`${name}: ${((Date.now() - t) / 1000).toFixed(0)} s`);
  }
}

async function main() {
  await mkdir("test-output", { recursive: true });
  // Reports of an earlier run must not be counted as this run's.
  await rm("test-output/vitest.json", { force: true });
  await rm("test-output/playwright.json", { force: true });
  await step("prisma generate", generatePrismaClientIfStale);
  await step("type-check", () => run(bin("tsc"), ["--noEmit"]));
  await step("lint", () => run(bin("eslint"), [".", "--max-warnings=0"]));
  await step("unit + integration tests (vitest)", async () => {
    try {
      await run(bin("vitest"), ["run", "--reporter=default", "--reporter=json", "--outputFile.json=test-output/vitest.json"]);
    } finally {
      await countVitest("test-output/vitest.json");
    }
    // Belt and braces: a failed test fails the run even if something reset vitest's exit code.
    if (totals.failed) throw new Error(`${totals.failed} vitest test(s) failed.`);
  });
  await step("browser tests (Playwright)", browserTests);
}

async function browserTests() {
  if (!existsSync("e2e") || !readdirSync("e2e").some((f) => f.endsWith(".spec.ts"))) {
    console.log("No Playwright specs in e2e/.");
    return;
  }
  if (!existsSync(process.env.CHROMIUM_PATH ?? "/usr/bin/chromium")) {
    throw new Error("Chromium is missing: install it with `apt-get install -y chromium` (or set CHROMIUM_PATH).");
  }
  const server = await startTestServer();
  const dbName = `doppel_e2e_${randomBytes(5).toString("hex")}`;
  const demoPrefix = `demo_${randomBytes(4).toString("hex")}`;
  await admin(server.adminUrl, `CREATE DATABASE ${dbName}`);
  try {
    const url = withDatabase(server.adminUrl, dbName);
    await migrate(url);
    if (!(await buildIsCurrent())) {
      await run(bin("next"), ["build"], { NEXT_TELEMETRY_DISABLED: "1" });
      await recordBuild();
    }
    try {
      await run(bin("playwright"), ["test"], {
        CI: "1",
        DATABASE_URL: url,
        // The browser run's server has DATABASE_URL, so demo databases need asking for; each
        // organisation's pair is named after this prefix and dropped below.
        DOPPEL_DEMO_DATABASES: "on",
        DOPPEL_DEMO_DB_PREFIX: demoPrefix,
        // The demo databases live on the test server: the egress policy may reach exactly that one.
        DOPPEL_EGRESS_ALLOW: [process.env.DOPPEL_EGRESS_ALLOW, egressEntryOf(server.adminUrl)].filter(Boolean).join(","),
        DOPPEL_SECRET_KEY: randomBytes(32).toString("base64"),
        NEXTAUTH_SECRET: randomBytes(32).toString("base64"),
        PLAYWRIGHT_JSON_OUTPUT_NAME: "test-output/playwright.json",
      });
    } finally {
      await countPlaywright("test-output/playwright.json");
    }
  } finally {
    await admin(server.adminUrl, `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => {});
    await dropDemoLeftovers(server.adminUrl, demoPrefix).catch(() => {});
    await server.stop();
  }
}

/** Every organisation's demo databases and role of this run (`<prefix>_<org id>`...). */
async function dropDemoLeftovers(adminUrl: string, prefix: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const like = `${prefix}\\_%`;
    for (const { datname } of (await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [like])).rows) {
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
    for (const { rolname } of (await client.query<{ rolname: string }>("SELECT rolname FROM pg_roles WHERE rolname LIKE $1", [like])).rows) {
      await client.query(`DROP ROLE IF EXISTS "${rolname}"`);
    }
  } finally {
    await client.end();
  }
}

async function admin(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function countVitest(file: string) {
  // A configuration error can end vitest with exit code 0 and no tests: that is a failure here.
  if (!existsSync(file)) throw new Error("vitest wrote no report.");
  const r = JSON.parse(await readFile(file, "utf8"));
  if (!r.numTotalTests) throw new Error("vitest ran no tests.");
  totals.passed += r.numPassedTests ?? 0;
  totals.failed += r.numFailedTests ?? 0;
  totals.skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
}

async function countPlaywright(file: string) {
  if (!existsSync(file)) return;
  const s = JSON.parse(await readFile(file, "utf8")).stats ?? {};
  totals.passed += (s.expected ?? 0) + (s.flaky ?? 0);
  totals.failed += s.unexpected ?? 0;
  totals.skipped += s.skipped ?? 0;
}

const t0 = Date.now();
main()
  .then(() => finish(0))
  .catch((err: Error) => {
    console.error(`\nnpm test failed: ${err.message}`);
    finish(1);
  });

function finish(code: number) {
  console.log(`\n${timings.join(" | ")} | total ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  // The one closing line CI reads.
  console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  process.exit(code);
}

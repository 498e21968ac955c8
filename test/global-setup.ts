import { createHash } from "node:crypto";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { listMigrations, migrate } from "../lib/db/migrate";
import { buildWorker } from "../scripts/build-worker";
import { egressEntryOf } from "./egress";
import { startAltServer, startTestServer, withDatabase } from "./pg-server";

// Runs once per `vitest run`: finds the test server and builds a migrated template database,
// named after the migrations' checksums so that a changed migration builds a new template.
// Test files clone it (test/db.ts), which takes milliseconds instead of re-running migrations.

declare module "vitest" {
  export interface ProvidedContext {
    adminUrl: string;
    adminVersion: number;
    /** A server of another major version (source/target skew tests), or null. */
    altAdminUrl: string | null;
    altVersion: number | null;
    templateDb: string;
  }
}

export default async function setup(project: TestProject) {
  // The worker processes the tests spawn run the built worker, as npm start does.
  await buildWorker();
  const server = await startTestServer();
  const migrations = await listMigrations();
  const digest = createHash("sha256").update(migrations.map((m) => m.checksum).join()).digest("hex").slice(0, 12);
  const templateDb = `doppel_tpl_${digest}`;
  const admin = new pg.Client({ connectionString: server.adminUrl });
  await admin.connect();
  try {
    // Serialise template creation across concurrent `vitest` processes.
    await admin.query("SELECT pg_advisory_lock(72707370)");
    const { rowCount } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [templateDb]);
    if (!rowCount) {
      await admin.query(`CREATE DATABASE ${templateDb}`);
      try {
        await migrate(withDatabase(server.adminUrl, templateDb));
      } catch (err) {
        await admin.query(`DROP DATABASE ${templateDb}`);
        throw err;
      }
      await admin.query(`ALTER DATABASE ${templateDb} WITH is_template = true`);
    }
    await admin.query("SELECT pg_advisory_unlock(72707370)");
  } finally {
    await admin.end();
  }
  const alt = await startAltServer(server);
  // The egress policy refuses loopback by default; the tests may reach exactly their own servers.
  // Vitest starts its workers after this setup, and they inherit this process's environment.
  process.env.DOPPEL_EGRESS_ALLOW = [process.env.DOPPEL_EGRESS_ALLOW, ...[server, alt].filter((s) => s !== null).map((s) => egressEntryOf(s.adminUrl))]
    .filter(Boolean).join(",");
  project.provide("adminUrl", server.adminUrl);
  project.provide("adminVersion", server.version);
  project.provide("altAdminUrl", alt?.adminUrl ?? null);
  project.provide("altVersion", alt?.version ?? null);
  project.provide("templateDb", templateDb);
  return async () => {
    await alt?.stop();
    await server.stop();
  };
}

import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../test/db";
import { listMigrations, migrate } from "./migrate";

describe("migrate", () => {
  it("applies every migration once, records it like prisma, and is idempotent", async () => {
    const db = await createTestDatabase({ template: null });
    afterAll(() => db.drop());
    const migrations = await listMigrations();
    const first = await migrate(db.url);
    expect(first.applied).toEqual(migrations.map((m) => m.name));
    const second = await migrate(db.url);
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toBe(migrations.length);

    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query(`SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name`);
    const tables = await client.query(`SELECT to_regclass('public.users') AS t`);
    await client.end();
    expect(rows).toEqual(migrations.map((m) => ({ migration_name: m.name, checksum: m.checksum })));
    expect(tables.rows[0].t).toBe("users");
  });
});

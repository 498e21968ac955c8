import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { prepareCustomizations, runCustomizations } from "./customizations";
import { EngineError } from "./errors";

// A failing customization is reported to everyone who may read the job (the demo's editors
// too), so its error is built from SQLSTATE and object names: the database's message can quote
// what the statement read — a parameter value, a row, or the server's catalog.

let client: pg.Client;
beforeAll(async () => {
  client = new pg.Client({ connectionString: inject("adminUrl") });
  await client.connect();
});
afterAll(async () => {
  await client.end();
});

async function failureOf(statement: string, values: Record<string, string> = {}) {
  const params = Object.keys(values).map((name) => ({ name, label: name, type: "text" as const }));
  const prepared = prepareCustomizations([{ name: "probe", statement, params }], values);
  await client.query("BEGIN");
  try {
    const err = await runCustomizations(client, prepared, 5_000).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    return err as EngineError;
  } finally {
    await client.query("ROLLBACK");
  }
}

describe("customization errors", () => {
  it("a regclass cast of the database list does not print the list", async () => {
    const err = await failureOf("SELECT string_agg(datname, ',')::regclass FROM pg_database");
    expect(err.message).toBe('Customization "probe" failed: a table or view does not exist [SQLSTATE 42P01]. The previous target is unchanged.');
    const { rows } = await client.query<{ datname: string }>("SELECT datname FROM pg_database");
    for (const { datname } of rows) expect(err.message).not.toContain(datname);
  });

  it("a value that does not convert is not quoted", async () => {
    const err = await failureOf("SELECT %(v)s::int", { v: "secret-value-42" });
    expect(err.message).toBe('Customization "probe" failed: a value does not convert to the type [SQLSTATE 22P02]. The previous target is unchanged.');
  });

  it("an unknown column is named by SQLSTATE and position", async () => {
    const err = await failureOf("SELECT no_such_column FROM pg_database");
    expect(err.message).toBe('Customization "probe" failed: a column does not exist (at character 8 of the statement) [SQLSTATE 42703]. The previous target is unchanged.');
  });
});

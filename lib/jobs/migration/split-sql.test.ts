import { describe, expect, it } from "vitest";
import { splitSql, wantsTransaction } from "./split-sql";

describe("splitSql", () => {
  it("splits at top-level semicolons only", () => {
    const script = `
      -- add a column; with a comment
      ALTER TABLE t ADD COLUMN note text DEFAULT 'a;b';
      /* block ; /* nested ; */ still comment */
      CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;
      UPDATE "we;ird" SET x = E'it\\'s; fine';
      SELECT $$;$$
    `;
    expect(splitSql(script)).toEqual([
      "-- add a column; with a comment\n      ALTER TABLE t ADD COLUMN note text DEFAULT 'a;b'",
      "/* block ; /* nested ; */ still comment */\n      CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql",
      `UPDATE "we;ird" SET x = E'it\\'s; fine'`,
      "SELECT $$;$$",
    ]);
  });

  it("drops empty and comment-only pieces", () => {
    expect(splitSql(";;\n-- only a comment\n;")).toEqual([]);
  });

  it("reads the no-transaction marker", () => {
    expect(wantsTransaction("CREATE INDEX i ON t (x);")).toBe(true);
    expect(wantsTransaction("-- doppel: no-transaction\nCREATE INDEX CONCURRENTLY i ON t (x);")).toBe(false);
  });
});

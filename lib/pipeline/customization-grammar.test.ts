import { describe, expect, it } from "vitest";
import { customizationGrammarErrors, statementGrammarError } from "./customization-grammar";

// PostgreSQL's own grammar (libpg_query as WebAssembly) on customization statements.

describe("statementGrammarError", () => {
  it("accepts valid statements with %(name)s and :name parameters", async () => {
    expect(await statementGrammarError("UPDATE companies SET name = %(company_name)s, logo_url = :logo WHERE id = 1")).toBeNull();
    expect(await statementGrammarError("INSERT INTO notes (body) VALUES (%(text)s) ON CONFLICT DO NOTHING;")).toBeNull();
    expect(await statementGrammarError("WITH x AS (SELECT 1) DELETE FROM t USING x WHERE t.id = x.\"?column?\"::int")).toBeNull();
  });

  it("names the token and the position (in the statement as written) of a syntax error", async () => {
    expect(await statementGrammarError("UPDATE companies SET name = %(company_name)s WHERE WHERE id = 1"))
      .toBe('Syntax error at or near "WHERE" (line 1, column 52).');
    expect(await statementGrammarError("UPDATE companies\nSET name = :name\nWHER id = 1"))
      .toBe('Syntax error at or near "WHER" (line 3, column 1).');
    expect(await statementGrammarError("UPDTE companies SET name = 'x'")).toBe('Syntax error at or near "UPDTE" (line 1, column 1).');
  });

  it("does not quote string literals it did not stop at", async () => {
    const message = await statementGrammarError("UPDATE companies SET name = 'Secret Corp' WHERE");
    expect(message).toMatch(/^Syntax error at end of input/);
    expect(message).not.toContain("Secret Corp");
  });
});

describe("customizationGrammarErrors", () => {
  it("lists each broken customization by index and name", async () => {
    expect(await customizationGrammarErrors([
      { name: "ok", statement: "UPDATE t SET a = 1" },
      { name: "broken", statement: "UPDATE t SET = 1" },
    ])).toEqual([{ index: 1, message: 'Customization "broken": Syntax error at or near "=" (line 1, column 14).' }]);
  });
});

import { describe, expect, it } from "vitest";
import { CustomizationSqlError, parseCustomizationStatement } from "./customization-sql";

describe("parseCustomizationStatement", () => {
  it("turns %(name)s and :name into $n, reusing the number of a repeated name", () => {
    expect(parseCustomizationStatement("UPDATE company SET name = %(name)s, logo = :logo WHERE name <> %(name)s")).toEqual({
      padded: "UPDATE company SET name = $1      , logo = $2    WHERE name <> $1      ",
      sql: "UPDATE company SET name = $1, logo = $2 WHERE name <> $1",
      params: ["name", "logo"],
    });
  });

  it("leaves casts, literals, quoted identifiers, dollar quotes and comments alone", () => {
    const sql = `SELECT '%(x)s', ':y', "a:b", $$ :z $$, $t$ %(w)s $t$, E'it\\'s :q', x::int -- :c\n/* %(d)s */ FROM t WHERE id = :id`;
    expect(parseCustomizationStatement(sql)).toEqual({ sql: sql.replace(":id", "$1"), params: ["id"], padded: sql.replace(":id", "$1 ") });
  });

  it("accepts one trailing semicolon and refuses a second statement", () => {
    expect(parseCustomizationStatement("DELETE FROM t;  -- done\n").sql).toBe("DELETE FROM t");
    expect(() => parseCustomizationStatement("UPDATE t SET a = 1; DROP TABLE company")).toThrow(CustomizationSqlError);
    expect(() => parseCustomizationStatement("UPDATE t SET a = ';'; DROP TABLE x")).toThrow(/one SQL statement/);
  });

  it("refuses unterminated literals and empty statements", () => {
    expect(() => parseCustomizationStatement("UPDATE t SET a = 'x")).toThrow(/not closed/);
    expect(() => parseCustomizationStatement("  ;  ")).toThrow(/empty/);
  });
});

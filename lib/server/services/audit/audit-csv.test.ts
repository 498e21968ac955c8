import { describe, expect, it } from "vitest";
import { csvCell, csvLine } from "./audit-csv";
import { exportableAuditDetails } from "./audit-text";

describe("audit CSV cells", () => {
  it("leaves plain text alone and quotes commas, quotes and line breaks", () => {
    expect(csvCell("ada@example.test")).toBe("ada@example.test");
    expect(csvCell("a, b")).toBe('"a, b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvLine(["a", "b,c", ""])).toBe('a,"b,c",\r\n');
  });

  it("defuses what a spreadsheet would run as a formula (= + - @, tab or CR first)", () => {
    for (const v of ["=1+2", "+SUM(A1)", "-2+3", "@cmd", "\t=1", "\r=1"]) expect(csvCell(v).replace(/^"/, "")).toMatch(/^'/);
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell("a=b")).toBe("a=b");
  });

  it("exports only allow-listed details (an API key's prefix stays out)", () => {
    expect(exportableAuditDetails({ role: "EDITOR", prefix: "dpl_abcdefgh" })).toBe("role=EDITOR");
    expect(exportableAuditDetails({ from: "VIEWER", to: "ADMIN", token: "x" })).toBe("from=VIEWER; to=ADMIN");
    expect(exportableAuditDetails({ version: 3, draft: true })).toBe("version=3; draft=true");
    expect(exportableAuditDetails(null)).toBe("");
  });
});

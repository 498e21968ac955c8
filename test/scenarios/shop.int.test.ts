import { createHash } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createS3Client } from "../../lib/pipeline/s3-output";
import { runClone } from "../../lib/pipeline/run-clone";
import { startS3Server, type TestS3 } from "../s3-server";
import { createDb, definition, expectFaithfulClone, loadScenario, stagingSchemas, withClient, type Db } from "./harness";

// Target database and S3 in one run, with a customization whose parameter is hostile SQL.

const HOSTILE = "x'); DROP TABLE company;--";

/** RFC 4180 parser for the checks (quoted fields, "" escapes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (ch === '"') quoted = false; else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") { row.push(field); field = ""; } else if (ch === "\r" && text[i + 1] === "\n") { row.push(field); rows.push(row); row = []; field = ""; i++; } else field += ch;
  }
  return rows;
}

describe("scenario: shop to a target database and S3", () => {
  const dbs: Db[] = [];
  let s3: TestS3;
  beforeAll(async () => {
    s3 = await startS3Server();
  });
  afterAll(async () => {
    for (const d of dbs) await d.drop();
    await s3?.stop();
  });

  it("writes the twin and gzip CSVs with a manifest; the customization stores hostile text literally", async () => {
    const source = await createDb(inject("adminUrl"), "scn_shop_src");
    const target = await createDb(inject("adminUrl"), "scn_shop_dst");
    dbs.push(source, target);
    const wf = await loadScenario("shop", source, { CUSTOMERS: 500, ORDERS: 2000 });
    const def = definition(wf, source, { target: { connection: target.conn }, s3: { connection: s3.connection, prefix: "twins/shop" } });
    const report = await runClone(def, { customizationValues: { company_name: HOSTILE, logo: "https://demo.example/logo.svg" } });
    await expectFaithfulClone(def, report, source, target, { customized: ["public.company"] });
    expect(report.customizations).toEqual([{ name: "Demo company name", rowsAffected: 1 }]);
    expect(report.privacyCheck.passed).toBe(true);
    expect(report.privacyCheck.columnsChecked).toBe(5);
    await withClient(target.url, async (c) => {
      const { rows } = await c.query("SELECT name, logo_url FROM company");
      expect(rows).toEqual([{ name: HOSTILE, logo_url: "https://demo.example/logo.svg" }]);
    });
    // The source is never written.
    await withClient(source.url, async (c) => {
      expect((await c.query("SELECT name FROM company")).rows[0].name).toBe("Acme Real Name GmbH");
    });

    const out = report.outputs.s3!;
    expect(out.manifestKey).toMatch(/^twins\/shop\/[0-9a-f]{8}\/manifest\.json$/);
    const client = createS3Client(s3.connection);
    const listed = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: out.prefix + "/" }));
    expect(listed.Contents!.map((o) => o.Key).sort()).toEqual([...out.objects.map((o) => o.key), out.manifestKey].sort());
    const manifest = JSON.parse(await (await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: out.manifestKey }))).Body!.transformToString());
    expect(manifest.tables.map((t: { table: string }) => t.table).sort()).toEqual(["company", "customers", "orders"]);
    const sourceEmails = await withClient(source.url, async (c) => new Set((await c.query("SELECT email FROM customers")).rows.map((r) => r.email)));
    const sourceNotes = await withClient(source.url, async (c) => (await c.query("SELECT count(*)::int AS n FROM customers WHERE notes LIKE '%,%'")).rows[0].n);
    expect(sourceNotes).toBeGreaterThan(0);
    for (const entry of manifest.tables) {
      const body = Buffer.from(await (await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: entry.key }))).Body!.transformToByteArray());
      expect(body.length).toBe(entry.bytes);
      expect(createHash("sha256").update(body).digest("hex")).toBe(entry.sha256);
      const rows = parseCsv(gunzipSync(body).toString("utf8"));
      expect(rows[0]).toEqual(entry.columns.map((c: { name: string }) => c.name));
      expect(rows.length - 1).toBe(entry.rows);
      if (entry.table === "customers") {
        expect(entry.rows).toBe(500);
        const email = rows[0].indexOf("email");
        const notes = rows[0].indexOf("notes");
        for (const r of rows.slice(1)) {
          expect(sourceEmails.has(r[email])).toBe(false);
          expect(r[notes]).toBe("");
        }
        expect(entry.rules.email).toMatchObject({ rule: "fake", kind: "email" });
      }
      if (entry.table === "orders") expect(entry.rows).toBe(2000);
    }
    client.destroy();
    expect(await stagingSchemas(target.url)).toEqual([]);
  });

  it("writes S3 only (no target) with the privacy check done on the stream", async () => {
    const source = await createDb(inject("adminUrl"), "scn_s3only_src");
    dbs.push(source);
    const wf = await loadScenario("shop", source, { CUSTOMERS: 100, ORDERS: 100 });
    const report = await runClone(definition({ ...wf, customizations: [] }, source, { s3: { connection: s3.connection, prefix: "" } }));
    expect(report.outputs.target).toBeUndefined();
    expect(report.outputs.s3!.objects).toHaveLength(3);
    expect(report.privacyCheck.passed).toBe(true);
    expect(report.privacyCheck.valuesChecked).toBeGreaterThan(0);
    expect(report.tables.find((t) => t.table === "customers")!.rowsWritten).toBe(100);
  });
});

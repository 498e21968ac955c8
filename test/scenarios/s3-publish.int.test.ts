import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { EngineError } from "../../lib/pipeline/errors";
import { runClone } from "../../lib/pipeline/run-clone";
import { createS3Client } from "../../lib/pipeline/s3-output";
import type { TWorkflowDefinitionInput } from "../../lib/schemas/workflow";
import { startS3Proxy, startS3Server, type TestS3 } from "../s3-server";
import { createDb, definition, stagingSchemas, withClient, type Db } from "./harness";

// A run with a target and an S3 output publishes both or neither: the manifest is written before
// the target swap, so a failing manifest upload leaves the previous target in place and the
// run's files deleted.

describe("S3 manifest and target swap", () => {
  let source: Db;
  let target: Db;
  let s3: TestS3;
  let def: TWorkflowDefinitionInput;
  const count = () => withClient(target.url, async (c) => (await c.query("SELECT count(*)::int AS n FROM public.people")).rows[0].n as number);
  const keys = async () => {
    const client = createS3Client(s3.connection);
    try {
      return ((await client.send(new ListObjectsV2Command({ Bucket: s3.bucket }))).Contents ?? []).map((o) => o.Key!).sort();
    } finally {
      client.destroy();
    }
  };

  beforeAll(async () => {
    source = await createDb(inject("adminUrl"), "scn_s3pub_src");
    target = await createDb(inject("adminUrl"), "scn_s3pub_dst");
    s3 = await startS3Server("publish-bucket");
    await withClient(source.url, (c) => c.query(`CREATE TABLE people (id int PRIMARY KEY, email text NOT NULL);
      INSERT INTO people SELECT i, 'p' || i || '@source.test' FROM generate_series(1, 100) i;`));
    def = definition({ tables: [{ schema: "public", table: "people", rules: { email: { rule: "fake", kind: "email" } } }] }, source,
      { target: { connection: target.conn }, s3: { connection: s3.connection, prefix: "twins" } });
  });
  afterAll(async () => {
    await source?.drop();
    await target?.drop();
    await s3?.stop();
  });

  it("a failing manifest upload fails the run before the swap: previous target kept, the run's files deleted", async () => {
    const first = await runClone(def);
    expect(await count()).toBe(100);
    const before = await keys();
    expect(before).toEqual([first.outputs.s3!.manifestKey, first.outputs.s3!.objects[0].key].sort());
    await withClient(source.url, (c) => c.query("INSERT INTO people SELECT i, 'p' || i || '@source.test' FROM generate_series(101, 150) i"));

    const proxy = await startS3Proxy(s3.endpoint, { deny: (method, path) => method === "PUT" && path.endsWith("/manifest.json") });
    try {
      const err = await runClone({ ...def, outputs: { ...def.outputs, s3: { connection: { ...s3.connection, endpoint: proxy.endpoint }, prefix: "twins" } } }).then(() => null, (e) => e);
      expect(err).toBeInstanceOf(EngineError);
      expect(err.code).toBe("S3_FAILED");
      expect(proxy.seen.some((r) => r.startsWith("PUT ") && r.endsWith(".csv.gz")), proxy.seen.join("; ")).toBe(true);
    } finally {
      await proxy.close();
    }
    expect(await count()).toBe(100);
    expect(await stagingSchemas(target.url)).toEqual([]);
    expect(await keys()).toEqual(before);

    const again = await runClone(def);
    expect(await count()).toBe(150);
    expect(await keys()).toContain(again.outputs.s3!.manifestKey);
  });
});

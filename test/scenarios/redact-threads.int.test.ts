import { afterAll, describe, expect, inject, it } from "vitest";
import { runClone } from "../../lib/pipeline/run-clone";
import { createDb, definition, expectFaithfulClone, loadScenario, withClient, type Db } from "./harness";

// A clone whose redacted table is rewritten on worker threads (what a worker machine with cores to
// spare does for a large table, copy-table.ts redactionThreads; forced here with
// DOPPEL_REDACT_THREADS) gives the same twin as one thread: same rows, same fakes.

/** Every table's rows as one digest, order-independent. */
async function digests(url: string): Promise<Record<string, string>> {
  return withClient(url, async (c) => {
    const out: Record<string, string> = {};
    for (const t of ["company", "customers", "orders"]) {
      const { rows } = await c.query(`SELECT count(*)::int AS n, md5(string_agg(x::text, '|' ORDER BY x::text)) AS d FROM public.${t} x`);
      out[t] = `${rows[0].n}:${rows[0].d}`;
    }
    return out;
  });
}

describe("scenario: redaction on worker threads", () => {
  const dbs: Db[] = [];
  afterAll(async () => {
    delete process.env.DOPPEL_REDACT_THREADS;
    for (const d of dbs) await d.drop();
  });

  it("gives the twin one thread gives", async () => {
    const source = await createDb(inject("adminUrl"), "scn_thr_src");
    const one = await createDb(inject("adminUrl"), "scn_thr_one");
    const two = await createDb(inject("adminUrl"), "scn_thr_two");
    dbs.push(source, one, two);
    // Enough customers for several 256 KiB batches, so both threads get work.
    const wf = await loadScenario("shop", source, { CUSTOMERS: 6000, ORDERS: 2000 });
    process.env.DOPPEL_REDACT_THREADS = "1";
    const defOne = definition(wf, source, { target: { connection: one.conn } });
    const values = { customizationValues: { company_name: "Demo Co", logo: "https://demo.example/logo.svg" } };
    await runClone(defOne, values);
    process.env.DOPPEL_REDACT_THREADS = "2";
    const defTwo = definition(wf, source, { target: { connection: two.conn } });
    const logs: string[] = [];
    const report = await runClone(defTwo, { ...values, onProgress: (e) => void (e.type === "log" && logs.push(e.message)) });
    expect(logs).toContain("Redacting public.customers on 2 threads.");
    await expectFaithfulClone(defTwo, report, source, two, { customized: ["public.company"] });
    const single = await digests(one.url);
    expect(single.customers.startsWith("6000:")).toBe(true);
    expect(await digests(two.url)).toEqual(single);
  });
});

import pg from "pg";

// The queue talks SQL to the app database through anything with pg's `query()` (a pg.Pool, a
// pg.Client inside a transaction). Prisma is not used here: LISTEN needs a dedicated pg client,
// and the claim needs explicit transactions and advisory locks.

export type QueryResult<R> = { rows: R[]; rowCount: number | null };
export type Queryable = {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
};

// On globalThis so that Next.js dev reloads of this module reuse one pool.
const g = globalThis as unknown as { doppelJobsPool?: pg.Pool };

/** The process-wide pool for the app database (DATABASE_URL), created on first use. */
export function jobsPool(): pg.Pool {
  if (!g.doppelJobsPool) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set. Start Doppel with `npm start`, which sets it.");
    g.doppelJobsPool = new pg.Pool({ connectionString: url, max: 5 });
    g.doppelJobsPool.on("error", () => {}); // an idle client dropped by the server; the pool replaces it
  }
  return g.doppelJobsPool;
}

/** Runs fn in a transaction on one pooled connection. */
export async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

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

/**
 * Runs fn on one pooled connection. While the connection is checked out it has an error listener:
 * pg emits 'error' on a client whose server connection dies between queries, and pg.Pool listens
 * only to idle clients, so without one a terminated backend is an uncaught exception that ends
 * the process. A connection that failed is destroyed, not handed back to the pool.
 */
export async function withClient<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (err: Error) => {
    broken = err;
  };
  client.on("error", onError);
  try {
    return await fn(client);
  } finally {
    client.removeListener("error", onError);
    client.release(broken);
  }
}

/** Runs fn in a transaction on one pooled connection (withClient). */
export async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return withClient(pool, async (client) => {
    await client.query("BEGIN");
    try {
      const result = await fn(client);
      await client.query("COMMIT");
      return result;
    } catch (err) {
      await client.query("ROLLBACK").catch(() => {});
      throw err;
    }
  });
}

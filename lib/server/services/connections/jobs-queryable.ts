import type { Queryable } from "../../../jobs/db";
import type { Db } from "../../db";

/** lib/jobs speaks pg's `query()`; this lets a service hand it the (per-test) Prisma client. */
export function queryableOf(db: Db): Queryable {
  return {
    async query(text: string, values: unknown[] = []) {
      const rows = await db.$queryRawUnsafe<Record<string, unknown>[]>(text, ...values);
      return { rows: rows as never[], rowCount: rows.length };
    },
  };
}

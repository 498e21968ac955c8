import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../../generated/prisma/client";

// The app database. Plain Node (the worker uses it too). `createPrisma(url)` exists so that
// integration tests can point services at their own database; everything else uses `prisma`.

export type Db = PrismaClient;

export function createPrisma(connectionString: string, opts: { max?: number } = {}): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max: opts.max ?? 10 }) });
}

const globalForPrisma = globalThis as unknown as { doppelPrisma?: PrismaClient };

function lazyDefault(): PrismaClient {
  if (!globalForPrisma.doppelPrisma) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set. Start Doppel with `npm start`, which sets it.");
    globalForPrisma.doppelPrisma = createPrisma(url);
  }
  return globalForPrisma.doppelPrisma;
}

/** The process-wide client, created on first use (so importing this module never needs DATABASE_URL). */
export const prisma: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, prop) {
    const client = lazyDefault();
    const value = Reflect.get(client, prop, client);
    return typeof value === "function" ? value.bind(client) : value;
  },
});

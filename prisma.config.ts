import { defineConfig } from "prisma/config";

// Prisma 7 reads the URL here, not from schema.prisma. `process.env` (not `env()`) so that
// `prisma generate` works without DATABASE_URL; migrations are applied by lib/db/migrate.ts.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost/unused" },
});

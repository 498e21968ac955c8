// `npm run db:migrate`: apply prisma/migrations to DATABASE_URL (what `npm start` does first).
import { migrate } from "../lib/db/migrate";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is not set.");
  process.exit(1);
}
const { applied } = await migrate(url);
console.log(applied.length ? `Applied: ${applied.join(", ")}` : "Database schema is up to date.");

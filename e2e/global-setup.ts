// Refuses to run the browser tests against anything but a local app and database: the specs
// sign up users and create organisations.
const LOCAL = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

export default function globalSetup() {
  const base = process.env.PLAYWRIGHT_BASE_URL;
  if (base && !LOCAL.has(new URL(base).hostname)) throw new Error(`Refusing to run browser tests against ${new URL(base).host}: only a local server.`);
  const db = process.env.DATABASE_URL;
  if (db && !LOCAL.has(new URL(db).hostname)) throw new Error(`Refusing to run browser tests with a non-local DATABASE_URL (${new URL(db).hostname}).`);
}

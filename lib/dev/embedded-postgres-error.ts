// A failed start of the quick start's embedded PostgreSQL: what failed, why, and what to do.
// Shown to whoever ran `npm start` or `npm test`, so it carries no stack trace: the message is
// the whole story, and a trace would bury it.

export class EmbeddedPostgresError extends Error {
  constructor(what: string, todo: string) {
    super(`The embedded PostgreSQL could not start: ${what}. ${todo}`);
    this.name = "EmbeddedPostgresError";
    this.stack = `${this.name}: ${this.message}`;
  }
}

import type { JWT } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppTestDatabase, makeUser, openAppTestDatabase } from "./testing/fixtures";

// Sign-out ends the session on the server: the JWT carries the user's session version, every
// read of the session compares it with the user's row, and sign-out increments it. (The browser
// test e2e/security.spec.ts replays a copied cookie against the production build.)

let app: AppTestDatabase;
let authOptions: typeof import("./auth").authOptions;
beforeAll(async () => {
  app = await openAppTestDatabase();
  process.env.DATABASE_URL = app.tdb.url; // auth.ts uses the process-wide client, created lazily
  ({ authOptions } = await import("./auth"));
});
afterAll(() => app.close());

type JwtCallback = NonNullable<NonNullable<typeof authOptions.callbacks>["jwt"]>;
const jwt = (params: { token: JWT; user?: { id: string; email: string; name: string; sessionVersion: number } }) =>
  authOptions.callbacks!.jwt!(params as Parameters<JwtCallback>[0]);

describe("session version", () => {
  it("a session issued before sign-out is refused afterwards, on every device; a new sign-in works", async () => {
    const user = await makeUser(app.db);
    const signIn = () => jwt({ token: {}, user: { id: user.id, email: user.email, name: user.name, sessionVersion: 0 } });
    const [laptop, copied] = [await signIn(), await signIn()];
    expect(laptop).toMatchObject({ uid: user.id, sv: 0 });
    await expect(jwt({ token: copied as JWT })).resolves.toMatchObject({ uid: user.id });

    await authOptions.events!.signOut!({ token: laptop as JWT, session: undefined as never });
    expect((await app.db.user.findUniqueOrThrow({ where: { id: user.id } })).sessionVersion).toBe(1);
    await expect(jwt({ token: copied as JWT })).rejects.toThrow(/session has ended/);
    await expect(jwt({ token: laptop as JWT })).rejects.toThrow(/session has ended/);

    const again = await jwt({ token: {}, user: { id: user.id, email: user.email, name: user.name, sessionVersion: 1 } });
    await expect(jwt({ token: again as JWT })).resolves.toMatchObject({ sv: 1 });
  });

  it("a deleted user's session is refused", async () => {
    const user = await makeUser(app.db);
    const token = await jwt({ token: {}, user: { id: user.id, email: user.email, name: user.name, sessionVersion: 0 } });
    await app.db.user.delete({ where: { id: user.id } });
    await expect(jwt({ token: token as JWT })).rejects.toThrow(/session has ended/);
  });
});

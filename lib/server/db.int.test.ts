import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../test/db";
import { createPrisma } from "./db";

describe("createPrisma", () => {
  it("talks to a migrated test database", async () => {
    const db = await createTestDatabase();
    const prisma = createPrisma(db.url);
    afterAll(async () => {
      await prisma.$disconnect();
      await db.drop();
    });
    const user = await prisma.user.create({ data: { email: "ada@example.test", name: "Ada Fake", passwordHash: "x" } });
    expect(await prisma.user.findUnique({ where: { id: user.id } })).toMatchObject({ email: "ada@example.test" });
  });
});

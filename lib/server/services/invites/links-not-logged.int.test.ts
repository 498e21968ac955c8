import net from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getRegisteredAction } from "../../action-registry";
import { type AppTestDatabase, makeOrg, makeUser, openAppTestDatabase } from "../../testing/fixtures";

// Invite and verification links carry tokens: the server log must never get one, neither when
// email is not configured (the link is shown to copy) nor when sending fails.

let app: AppTestDatabase;
const logged: string[] = [];

beforeAll(async () => {
  process.env.NEXTAUTH_URL ??= "http://localhost:3000"; // links are built from it
  app = await openAppTestDatabase();
  await import("../../../../app/(app)/[orgSlug]/settings/members/actions");
  await import("../../../../app/(auth)/verify-email/actions");
  for (const level of ["log", "info", "warn", "error", "debug"] as const) {
    const original = console[level].bind(console);
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      logged.push(args.map(String).join(" "));
      original(...args);
    });
  }
});
afterAll(async () => {
  vi.restoreAllMocks();
  delete process.env.SMTP_URL;
  await app.close();
});

/** An SMTP URL nothing listens on: sending fails with ECONNREFUSED. */
async function deadSmtpUrl() {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return `smtp://127.0.0.1:${port}`;
}

describe("links in the server log", () => {
  it.each([
    ["email is not configured", async () => undefined],
    ["sending the email fails", deadSmtpUrl],
  ])("no invite or verification token is logged when %s", async (_case, smtp) => {
    const url = await smtp();
    if (url) process.env.SMTP_URL = url;
    else delete process.env.SMTP_URL;
    const owner = await makeUser(app.db);
    const org = await makeOrg(app.db, owner);
    logged.length = 0;
    const invoke = (name: string, userId: string, input: unknown, orgSlug?: string) => getRegisteredAction(name).invoke({ db: app.db, userId, orgSlug, input });

    const created = await invoke("invite.create", owner.id, { email: `mate-${org.slug}@example.test`, role: "EDITOR" }, org.slug);
    expect(created).toMatchObject({ ok: true, data: { emailed: false, link: expect.stringMatching(/\/invite\/[\w-]{43}$/) } });
    const invite = await app.db.invite.findFirstOrThrow({ where: { orgId: org.id } });
    const resent = await invoke("invite.resend", owner.id, { inviteId: invite.id }, org.slug);
    expect(resent).toMatchObject({ ok: true, data: { link: expect.any(String) } });
    const verification = await invoke("auth.sendVerification", owner.id, { next: "/invite/x" });
    expect(verification).toMatchObject({ ok: true, data: { emailed: false, link: expect.stringMatching(/\/verify-email\/[\w-]{43}\?next=/) } });

    const tokens = [created, resent, verification].map((r) => ((r as { data: { link: string } }).data.link.match(/\/(?:invite|verify-email)\/([\w-]{43})/) ?? [])[1]!);
    expect(tokens.every(Boolean)).toBe(true);
    if (url) expect(logged.some((l) => l.includes("could not send"))).toBe(true);
    for (const token of tokens) expect(logged.join("\n")).not.toContain(token);
  });
});

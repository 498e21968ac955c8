import { readdirSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { SignUpPage } from "./fixtures/auth-pages";
import { fakePerson } from "./fixtures/people";
import { seedForeignOrg, type ForeignOrg } from "./fixtures/seed-db";

// Every organisation page that takes an id, visited by a signed-in stranger with another
// organisation's ids: a 404, like a missing object. Pages are enumerated from app/; the test
// fails when one with an id segment is not listed below.

const ORG_APP = path.join(process.cwd(), "app", "(app)", "[orgSlug]");

/** Page file (relative to app/(app)/[orgSlug]) -> its path with the foreign org's ids. */
const ID_PAGES: Record<string, (b: ForeignOrg) => string> = {
  "connections/[id]/page.tsx": (b) => `connections/${b.connectionId}`,
  "demo/[workflowId]/page.tsx": (b) => `demo/${b.workflowId}`,
  "jobs/[jobId]/page.tsx": (b) => `jobs/${b.jobId}`,
  "scan/[jobId]/page.tsx": (b) => `scan/${b.scanJobId}`,
  "workflows/[id]/customizations/page.tsx": (b) => `workflows/${b.workflowId}/customizations`,
  "workflows/[id]/runs/page.tsx": (b) => `workflows/${b.workflowId}/runs`,
  "workflows/[id]/page.tsx": (b) => `workflows/${b.workflowId}`,
};

function pagesWithIds(dir = ORG_APP, rel = ""): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) return pagesWithIds(path.join(dir, e.name), r);
    return e.name === "page.tsx" && r.includes("[") ? [r] : [];
  });
}

test("every organisation page with an id segment is listed", () => {
  expect(pagesWithIds().filter((p) => !(p in ID_PAGES)), "add these pages to ID_PAGES in e2e/tenancy.spec.ts").toEqual([]);
});

test("another organisation's ids answer 404 on every id page", async ({ page }) => {
  const foreign = await seedForeignOrg();
  test.skip(!foreign, "needs DATABASE_URL (npm test sets it) to seed another organisation's objects");
  try {
    const slug = await new SignUpPage(page).signUp(fakePerson("tenant"));
    const existing = pagesWithIds();
    for (const [file, build] of Object.entries(ID_PAGES)) {
      if (!existing.includes(file)) continue; // listed ahead of the page being built
      for (const url of [`/${slug}/${build(foreign!)}`, `/${foreign!.slug}/${build(foreign!)}`]) {
        const res = await page.goto(url);
        expect(res?.status(), url).toBe(404);
        await expect(page.getByRole("heading", { name: "Page not found" }), url).toBeVisible();
      }
    }
  } finally {
    await foreign?.drop();
  }
});

// The browser's poll routes, over HTTP with a real session cookie: org B's ids under the stranger's
// own slug and under org B's slug are a 404 (NOT_FOUND), like a missing object.
test("another organisation's ids answer 404 on the poll routes", async ({ page }) => {
  const foreign = await seedForeignOrg();
  test.skip(!foreign, "needs DATABASE_URL (npm test sets it) to seed another organisation's objects");
  try {
    const slug = await new SignUpPage(page).signUp(fakePerson("poller"));
    const urls = [
      `/api/jobs/${foreign!.jobId}`,
      `/api/jobs/${foreign!.scanJobId}`,
      ...[slug, foreign!.slug].flatMap((s) => [`/${s}/connections/${foreign!.connectionId}/status`, `/${s}/connections/tests/${foreign!.jobId}`]),
    ];
    for (const url of urls) {
      const res = await page.request.get(url);
      expect(res.status(), url).toBe(404);
      expect((await res.json()).error.code, url).toBe("NOT_FOUND");
    }
  } finally {
    await foreign?.drop();
  }
});

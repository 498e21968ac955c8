import { prisma, type Db } from "../../db";
import { AppError } from "../../errors";
import type { DemoServer } from "../../../dev/demo-databases";
import { demoServer, dropOrgDemoDatabases } from "../connections/create-demo-connections";

/** Deletes the organisation and everything in it (foreign keys cascade), and its demo databases. Owners only (orgAction checks). */
export async function deleteOrg({ db = prisma, orgId, slug, confirmSlug, demo = demoServer() }: { db?: Db; orgId: string; slug: string; confirmSlug: string; demo?: DemoServer | null }) {
  if (confirmSlug !== slug) throw new AppError("VALIDATION", "Type the organisation's URL name to confirm.", { confirmSlug: [`Type “${slug}” to confirm.`] });
  const running = await db.job.count({ where: { orgId, status: "RUNNING" } });
  if (running > 0) throw new AppError("CONFLICT", "Jobs are running in this organisation. Cancel them or wait until they finish, then delete it.");
  await db.organization.delete({ where: { id: orgId } });
  console.log(`[org] deleted organisation ${orgId}`);
  if (demo) await dropOrgDemoDatabases(demo, orgId);
}

import { prisma, type Db } from "../../db";
import { AppError } from "../../errors";

/** Deletes the organisation and everything in it (foreign keys cascade). Owners only (orgAction checks). */
export async function deleteOrg({ db = prisma, orgId, slug, confirmSlug }: { db?: Db; orgId: string; slug: string; confirmSlug: string }) {
  if (confirmSlug !== slug) throw new AppError("VALIDATION", "Type the organisation's URL name to confirm.", { confirmSlug: [`Type “${slug}” to confirm.`] });
  const running = await db.job.count({ where: { orgId, status: "RUNNING" } });
  if (running > 0) throw new AppError("CONFLICT", "Jobs are running in this organisation. Cancel them or wait until they finish, then delete it.");
  await db.organization.delete({ where: { id: orgId } });
  console.log(`[org] deleted organisation ${orgId}`);
}

-- The organisation a user last opened: "/" and sign-in land there (while they are still a member).
-- Deleting the organisation clears it.
ALTER TABLE "users" ADD COLUMN "last_org_id" UUID;
CREATE INDEX "users_last_org_id_idx" ON "users"("last_org_id");
ALTER TABLE "users" ADD CONSTRAINT "users_last_org_id_fkey" FOREIGN KEY ("last_org_id") REFERENCES "organizations"("id") ON DELETE SET NULL ON UPDATE CASCADE;

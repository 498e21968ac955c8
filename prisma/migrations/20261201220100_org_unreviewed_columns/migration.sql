-- What a run does with a source column nobody has reviewed: stop (default) or copy it as NULL.
CREATE TYPE "UnreviewedColumnsPolicy" AS ENUM ('FAIL', 'NULL');
ALTER TABLE "organizations" ADD COLUMN "unreviewed_columns" "UnreviewedColumnsPolicy" NOT NULL DEFAULT 'FAIL';

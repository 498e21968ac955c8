-- Job queue additions (lib/jobs).

-- "host:port/database" of a clone's target, set at enqueue: at most one running clone per target
-- database, even across workflows (two swaps into one database would interleave).
ALTER TABLE "jobs" ADD COLUMN "target_key" TEXT;
CREATE INDEX "jobs_running_target_key_idx" ON "jobs"("target_key") WHERE "status" = 'RUNNING';
-- The claim counts RUNNING jobs per organisation (concurrency limit).
CREATE INDEX "jobs_org_id_status_idx" ON "jobs"("org_id", "status");

-- Migration dry-run workflows: a run clones into a scratch target, then applies the run's migration SQL.
ALTER TABLE "workflows" ADD COLUMN "migration_dry_run" BOOLEAN NOT NULL DEFAULT false;

-- What a NOOP job writes: one row per job, so a job that runs twice fails loudly (tests, health checks).
CREATE TABLE "noop_runs" (
    "job_id" UUID NOT NULL,
    "worker" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "noop_runs_pkey" PRIMARY KEY ("job_id")
);

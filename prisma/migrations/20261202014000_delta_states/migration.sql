-- Delta updates (issue 11): per workflow, target database (jobs.target_key) and table, what the last
-- successful clone into that target left for the next one: the watermark it reads changes from and
-- the table's schema fingerprint (a change re-copies the table in full). Written by the clone job
-- after its run, fenced by its claim (lib/jobs/queue-sql.ts, saveDeltaStates).
CREATE TABLE "delta_states" (
    "workflow_id" UUID NOT NULL,
    "target_key" TEXT NOT NULL,
    "schema_name" TEXT NOT NULL,
    "table_name" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "watermark" TIMESTAMPTZ(6) NOT NULL,
    "job_id" UUID NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "delta_states_pkey" PRIMARY KEY ("workflow_id", "target_key", "schema_name", "table_name")
);
ALTER TABLE "delta_states" ADD CONSTRAINT "delta_states_workflow_id_fkey" FOREIGN KEY ("workflow_id") REFERENCES "workflows"("id") ON DELETE CASCADE ON UPDATE CASCADE;

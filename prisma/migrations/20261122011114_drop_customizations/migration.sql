-- Customizations live in the workflow config JSON (workflow_versions.config.customizations), saved
-- as workflow versions; this table was never read or written.
DROP TABLE "customizations";

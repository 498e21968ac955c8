-- Delta updates: the run snapshot's xmin (xid8 as text), the watermark of tables whose changes are
-- detected by the rows' xmin (tables[].delta.xmin, delta-plan.ts). Null for states written before.
ALTER TABLE "delta_states" ADD COLUMN "snapshot_xmin" TEXT;

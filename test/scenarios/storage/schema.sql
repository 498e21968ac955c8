-- Table and column settings that used to be lost silently: UNLOGGED, storage parameters (also
-- of the TOAST table), column statistics targets, storage and compression, REPLICA IDENTITY,
-- CLUSTER ON, names of partition indexes attached by hand, and a large object (reported).
CREATE UNLOGGED TABLE public.cache (id int PRIMARY KEY, v text);
ALTER TABLE public.cache REPLICA IDENTITY FULL;
CREATE TABLE public.docs (id int PRIMARY KEY, body text, tags text NOT NULL, blob_ref oid)
  WITH (fillfactor = 70, autovacuum_enabled = false, toast.autovacuum_enabled = false);
ALTER TABLE public.docs ALTER COLUMN body SET STORAGE EXTERNAL, ALTER COLUMN tags SET STATISTICS 500, ALTER COLUMN tags SET COMPRESSION pglz;
CREATE UNIQUE INDEX docs_tags_key ON public.docs (tags);
ALTER TABLE public.docs REPLICA IDENTITY USING INDEX docs_tags_key;
CREATE INDEX docs_body_idx ON public.docs (left(body, 10));
ALTER TABLE public.docs CLUSTER ON docs_body_idx;
CREATE TABLE public.log (id int, at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE public.log_2023 PARTITION OF public.log FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE public.log_2024 PARTITION OF public.log FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE INDEX log_at_idx ON ONLY public.log (at);
CREATE INDEX by_hand_2023 ON public.log_2023 (at);
ALTER INDEX public.log_at_idx ATTACH PARTITION public.by_hand_2023;
CREATE INDEX by_hand_2024 ON public.log_2024 (at);
ALTER INDEX public.log_at_idx ATTACH PARTITION public.by_hand_2024;

-- A version saved with columns nobody has reviewed is a draft and never runs. Existing versions
-- are not drafts.
ALTER TABLE "workflow_versions" ADD COLUMN "draft" BOOLEAN NOT NULL DEFAULT false;

-- Runs stop on source columns that are not reviewed; a non-draft version's reviewed set is its
-- rules plus the columns known when it was saved (knownColumns). Versions saved before columns
-- were recorded get the columns of their source's cached table list now, so that nothing that
-- runs today stops without cause. Tables the cached list does not have stay without a baseline.
UPDATE "workflow_versions" v
   SET "config" = jsonb_set(v."config", '{tables}', (
         SELECT jsonb_agg(CASE WHEN t ? 'knownColumns' OR k.cols IS NULL THEN t ELSE t || jsonb_build_object('knownColumns', k.cols) END ORDER BY x.ord)
           FROM jsonb_array_elements(v."config"->'tables') WITH ORDINALITY AS x(t, ord)
           LEFT JOIN LATERAL (
             SELECT jsonb_agg(c->'name' ORDER BY c.ord) AS cols
               FROM "connections" cn,
                    jsonb_array_elements(CASE WHEN jsonb_typeof(cn."introspection"->'tables') = 'array' THEN cn."introspection"->'tables' ELSE '[]'::jsonb END) AS it,
                    jsonb_array_elements(CASE WHEN jsonb_typeof(it->'columns') = 'array' THEN it->'columns' ELSE '[]'::jsonb END) WITH ORDINALITY AS c(c, ord)
              WHERE cn."id"::text = v."config"->>'sourceConnectionId'
                AND it->>'schema' = t->>'schema' AND it->>'name' = t->>'table'
           ) k ON true))
 WHERE jsonb_typeof(v."config"->'tables') = 'array'
   AND jsonb_array_length(v."config"->'tables') > 0;

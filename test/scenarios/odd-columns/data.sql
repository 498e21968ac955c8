INSERT INTO public.marker DEFAULT VALUES;
INSERT INTO public.marker DEFAULT VALUES;
INSERT INTO public.marker DEFAULT VALUES;
INSERT INTO public.widgets SELECT g, 'w' || g FROM generate_series(1, 5) g;
INSERT INTO public.object_refs VALUES
  (1, 'public.widgets', 'int4', 'public.widget_count', 'public.widget_count()', 'english', ARRAY['public.widgets', 'public.marker']::regclass[], 'public'),
  (2, 'public.object_refs', 'text[]', 'pg_catalog.now', 'pg_catalog.lower(text)', 'simple', '{}', 'pg_catalog');

INSERT INTO public.cache SELECT g, 'v' || g FROM generate_series(1, 20) g;
INSERT INTO public.docs SELECT g, repeat('body ', 50) || g, 'tag' || g, CASE WHEN g = 1 THEN lo_from_bytea(0, 'hello') END FROM generate_series(1, 30) g;
INSERT INTO public.log SELECT g, date '2023-01-01' + g FROM generate_series(1, 600) g;

INSERT INTO public.codes SELECT g, 'C' || g FROM generate_series(1, 100) g;
INSERT INTO public.items SELECT g, 'C' || (1 + g % 100), repeat('x', 100) FROM generate_series(1, 3000) g;

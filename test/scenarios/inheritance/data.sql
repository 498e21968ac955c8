INSERT INTO public.vehicles SELECT g, 'vehicle ' || g, 4 FROM generate_series(1, 10) g;
INSERT INTO public.cars SELECT g, 'car ' || g, 4, 5 FROM generate_series(11, 30) g;
INSERT INTO public.bikes SELECT g, 'bike ' || g, 2, 21 FROM generate_series(31, 45) g;
INSERT INTO public.events SELECT g, date '2010-01-01' + g * 7, 'k' FROM generate_series(1, 1000) g;
INSERT INTO public.events VALUES (0, '1990-01-01', 'very old');

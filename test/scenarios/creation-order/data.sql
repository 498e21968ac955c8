INSERT INTO public.z_codes SELECT 'C' || g FROM generate_series(1, 10) g;
INSERT INTO public.b_address SELECT 'Street ' || g, 'City' FROM generate_series(1, 5) g;
INSERT INTO public.a_shipments SELECT g, g, timerange('08:00', '17:00'), floatrange(0.5, g), ROW('Main ' || g, 'Town')::public.b_address,
  ARRAY[ROW('A', 'B')::public.b_address] FROM generate_series(1, 30) g;
INSERT INTO public.a_items SELECT g, 'C' || (1 + g % 10), repeat('x', 200) FROM generate_series(1, 2000) g;

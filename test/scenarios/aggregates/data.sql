INSERT INTO public.category SELECT g, 'Category ' || g FROM generate_series(1, 5) g;
INSERT INTO public.actor SELECT g, (ARRAY['Penelope', 'Nick', 'Ed', 'Grace'])[1 + g % 4], (ARRAY['Guiness', 'Wahlberg', 'Chase', 'nick'])[1 + g % 4] FROM generate_series(1, 30) g;
INSERT INTO public.film (film_id, title, description, rating, length)
  SELECT g, 'Film ' || g, 'A thrilling story of the ' || g || ' cats and the dogs', (enum_range(NULL::public.mpaa_rating))[1 + g % 5], 60 + g FROM generate_series(1, 50) g;
INSERT INTO public.film_actor SELECT 1 + g % 30, 1 + g % 50 FROM generate_series(1, 150) g ON CONFLICT DO NOTHING;
INSERT INTO public.film_category SELECT g, 1 + g % 5 FROM generate_series(1, 50) g;

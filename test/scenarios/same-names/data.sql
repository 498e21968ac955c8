INSERT INTO auth.users SELECT g, 'u' || g || '@x.test', (ARRAY['invited', 'active', 'locked'])[1 + g % 3]::auth.status FROM generate_series(1, 50) g;
INSERT INTO public.users SELECT g, 51 - g, (ARRAY['draft', 'live'])[1 + g % 2]::public.status, 'nick' || g FROM generate_series(1, 50) g;
INSERT INTO public.posts SELECT g, 1 + g % 50, 1 + g % 7, 'live', 'active' FROM generate_series(1, 200) g;
INSERT INTO auth.sessions SELECT g, 1 + g % 50, 1 + g % 13, 'draft' FROM generate_series(1, 100) g;

-- "Now" for the windows is the clone's snapshot time; rows are placed relative to now().
INSERT INTO company SELECT md5('company' || g)::uuid, 'Company ' || g, now() - g * interval '10 days' FROM generate_series(1, 20) g;
-- Employees: a management tree (manager hired long ago), only recent hires are in the window.
INSERT INTO employee SELECT g, md5('company' || (1 + g % 20))::uuid, CASE WHEN g > 10 THEN 1 + (g % 10) END,
       'employee' || g || '@source.test', now() - CASE WHEN g <= 10 THEN interval '1000 days' ELSE (g % 90) * interval '1 day' END
FROM generate_series(1, 200) g;
BEGIN;
INSERT INTO team SELECT g, 'Team ' || g, g * 10 FROM generate_series(1, 5) g;
INSERT INTO team_member SELECT g, 1 + g % 5, 'Person ' || g FROM generate_series(1, 50) g;
COMMIT;
INSERT INTO event SELECT g, 1 + (g * 7) % 200, timestamptz '2023-06-01' + (g % 900) * interval '1 day', (ARRAY['login', 'logout', 'edit'])[1 + g % 3] FROM generate_series(1, 3000) g;

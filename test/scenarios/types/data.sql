INSERT INTO "Sales Dept"."Kundén Liste" ("E-Mail Address", "fullName", "Straße", mood, moods, visits, profile, avatar, search, balance, ratio,
  last_ip, tags, seen_at, born, local_ts, wakeup, duration, active, wallet)
SELECT 'kunde' || g || '@source.test',
       (ARRAY['Zoë Müller', 'José O''Brien', 'Łukasz "Luke" Nowak', E'Tab\there', E'Line\nbreak', 'Back\slash', '李小龍', '\N'])[1 + g % 8] || ' ' || g,
       CASE WHEN g % 5 = 0 THEN NULL WHEN g % 7 = 0 THEN '' ELSE g || ' Hauptstraße' END,
       (ARRAY['sad', 'ok', 'happy', 'it''s complicated']::"Sales Dept".mood[])[1 + g % 4],
       CASE WHEN g % 3 = 0 THEN NULL ELSE ARRAY['ok', 'it''s complicated']::"Sales Dept".mood[] END,
       CASE WHEN g % 4 = 0 THEN NULL ELSE g END,
       jsonb_build_object('email', 'kunde' || g || '@source.test', 'n', g, 'nested', jsonb_build_object('q', E'quote " and \\ back'), 'arr', jsonb_build_array(1, 'two', NULL)),
       CASE WHEN g % 6 = 0 THEN NULL ELSE decode(md5(g::text), 'hex') || '\x00'::bytea END,
       to_tsvector('simple', 'order number ' || g || ' for customer'),
       round((g * 1.2345)::numeric, 4),
       CASE WHEN g % 9 = 0 THEN 'NaN'::float8 WHEN g % 11 = 0 THEN 'Infinity'::float8 ELSE g / 7.0 END,
       ('10.' || (g % 250) || '.0.' || (g % 200) || '/32')::inet,
       CASE WHEN g % 2 = 0 THEN ARRAY['a,b', 'c"d', NULL, 'e\f', ''] ELSE '{}'::text[] END,
       CASE WHEN g = 1 THEN 'infinity'::timestamptz WHEN g = 2 THEN '-infinity'::timestamptz ELSE timestamptz '2024-01-01 12:00:00+00' + g * interval '1 hour' END,
       date '1950-01-01' + g,
       timestamp '2024-02-29 23:59:59.999999' - g * interval '1 minute',
       time '06:30' + g * interval '1 second',
       g * interval '1 day 2 hours',
       g % 2 = 0,
       ROW('EUR', g * 10.5)::"Sales Dept".money_pair
FROM generate_series(1, 300) g;

INSERT INTO "Sales Dept".audit_log SELECT timestamptz '2024-01-01' + g * interval '1 min', 'actor' || (g % 10), E'did thing\t' || g FROM generate_series(1, 200) g;
INSERT INTO "Sales Dept".audit_log SELECT timestamptz '2024-01-01', 'actor1', 'duplicate row' FROM generate_series(1, 3);

INSERT INTO "Sales Dept".price SELECT 'SKU-' || g, r, g * 1.5 FROM generate_series(1, 50) g, unnest(ARRAY['DE', 'US']) r;
INSERT INTO "Sales Dept".price_history (sku, region, amount) SELECT 'SKU-' || (1 + g % 50), (ARRAY['DE', 'US'])[1 + g % 2], g FROM generate_series(1, 400) g;

-- The benchmark dataset (from /work/shared/bench/perf-dataset.sql, sizes as placeholders): customers with PII + orders with a FK.

SET maintenance_work_mem = '512MB';
DROP TABLE IF EXISTS orders;
DROP TABLE IF EXISTS customers;

CREATE TABLE customers (
  id            bigserial PRIMARY KEY,
  first_name    text NOT NULL,
  last_name     text NOT NULL,
  email         text NOT NULL UNIQUE,
  phone         text,
  ssn           text,
  date_of_birth date,
  street        text,
  city          text,
  zip           text,
  notes         text,
  profile       jsonb,
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL
);

CREATE TABLE orders (
  id          bigserial PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES customers(id),
  amount      numeric(12,2) NOT NULL,
  status      text NOT NULL,
  card_last4  text,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL
);

-- 2,000,000 customers. Names drawn from small lists (low cardinality, like real names,
-- incl. a few non-ASCII ones); emails unique; ~10% NULL phone, ~5% NULL ssn, ~15% NULL notes;
-- ~2% of notes contain tabs/newlines/backslashes so the COPY text escaping paths get exercised.
INSERT INTO customers (first_name, last_name, email, phone, ssn, date_of_birth, street, city, zip,
                       notes, profile, created_at, updated_at)
SELECT fn, ln,
       lower(fn) || '.' || lower(ln) || g || '@' || (ARRAY['gmail.com','yahoo.com','outlook.com','example.org','corp.net'])[1 + g % 5],
       CASE WHEN g % 10 = 0 THEN NULL
            WHEN g % 3 = 0 THEN '+1-' || lpad((200 + (r1 * 799)::int)::text, 3, '0') || '-' || lpad((r2 * 9999999)::bigint::text, 7, '0')
            ELSE '(' || lpad((200 + (r1 * 799)::int)::text, 3, '0') || ') ' || lpad((r2 * 999)::int::text, 3, '0') || '-' || lpad((r3 * 9999)::int::text, 4, '0') END,
       CASE WHEN g % 20 = 0 THEN NULL
            ELSE lpad((1 + r3 * 898)::int::text, 3, '0') || '-' || lpad((1 + r1 * 98)::int::text, 2, '0') || '-' || lpad((1 + r2 * 9998)::int::text, 4, '0') END,
       date '1940-01-01' + (r1 * 25000)::int,
       (1 + (r2 * 9999)::int) || ' ' || (ARRAY['Main','Oak','Pine','Maple','Cedar','Elm','Washington','Lake','Hill','Park'])[1 + (g % 10)]
         || ' ' || (ARRAY['St','Ave','Rd','Blvd','Ln'])[1 + (g % 5)],
       (ARRAY['Springfield','Riverside','Franklin','Greenville','Bristol','Clinton','Fairview','Salem','Madison','Georgetown','Zürich','São Paulo'])[1 + (g % 12)],
       lpad((r3 * 99999)::int::text, 5, '0'),
       CASE WHEN g % 7 = 0 THEN NULL
            WHEN g % 50 = 1 THEN 'Called on ' || md5(g::text) || E'\tfollow-up:\n' || md5((g+1)::text) || E' path C:\\Users\\' || md5((g+2)::text) || ' ' || md5((g+3)::text) || ' ' || md5((g+4)::text) || ' ' || md5((g+5)::text)
            ELSE 'Customer note: ' || md5(g::text) || ' ' || md5((g+1)::text) || ' prefers ' || (ARRAY['email','phone','sms','mail'])[1 + g % 4]
                 || ' contact; ' || md5((g+2)::text) || ' ' || md5((g+3)::text) || ' ' || md5((g+4)::text) END,
       jsonb_build_object('tier', (ARRAY['free','basic','pro','enterprise'])[1 + g % 4],
                          'marketing_opt_in', (g % 3 = 0),
                          'score', round((r1 * 1000)::numeric, 2),
                          'tags', jsonb_build_array('t' || (g % 17), 't' || (g % 29)),
                          'prefs', jsonb_build_object('lang', (ARRAY['en','de','fr','es','pt'])[1 + g % 5], 'tz', 'UTC' || (g % 24 - 12)),
                          'last_ip', '10.' || (g % 256) || '.' || ((g / 256) % 256) || '.' || (g % 251)),
       ts, ts + (r2 * interval '400 days')
FROM (
  SELECT g, random() AS r1, random() AS r2, random() AS r3,
         (ARRAY['James','Mary','John','Patricia','Robert','Jennifer','Michael','Linda','William','Elizabeth',
                'David','Barbara','Richard','Susan','Joseph','Jessica','Thomas','Sarah','Charles','Karen',
                'Christopher','Nancy','Daniel','Lisa','Matthew','Betty','Anthony','Margaret','Mark','Sandra',
                'José','Zoë','Björn','Renée','Siobhán','Chloé','Łukasz','Ming','Aarav','Fatima'])[1 + (hashint4(g) & 1023) % 40] AS fn,
         (ARRAY['Smith','Johnson','Williams','Brown','Jones','Garcia','Miller','Davis','Rodriguez','Martinez',
                'Hernandez','Lopez','Gonzalez','Wilson','Anderson','Thomas','Taylor','Moore','Jackson','Martin',
                'Lee','Perez','Thompson','White','Harris','Sanchez','Clark','Ramirez','Lewis','Robinson',
                'O''Brien','Müller','Nguyen','Kowalski','Schmidt','Rossi','Dubois','Tanaka','Kim','Novák'])[1 + ((hashint4(g) >> 10) & 1023) % 40] AS ln,
         timestamptz '2019-01-01 00:00:00+00' + (random() * interval '2000 days') AS ts
  FROM generate_series(1, __CUSTOMERS__) AS g
) s;

-- 4,000,000 orders
INSERT INTO orders (customer_id, amount, status, card_last4, created_at, updated_at)
SELECT 1 + (random() * (__CUSTOMERS__ - 1))::bigint,
       round((random() * 500)::numeric, 2),
       (ARRAY['pending','paid','shipped','delivered','cancelled','refunded'])[1 + g % 6],
       CASE WHEN g % 9 = 0 THEN NULL ELSE lpad((random() * 9999)::int::text, 4, '0') END,
       ts, ts + (random() * interval '30 days')
FROM (SELECT g, timestamptz '2019-01-01 00:00:00+00' + (random() * interval '2000 days') AS ts
      FROM generate_series(1, __ORDERS__) AS g) s;

CREATE INDEX customers_created_at_idx ON customers (created_at);
CREATE INDEX orders_created_at_idx    ON orders (created_at);
CREATE INDEX orders_customer_id_idx   ON orders (customer_id);

VACUUM (FREEZE, ANALYZE) customers;
VACUUM (FREEZE, ANALYZE) orders;

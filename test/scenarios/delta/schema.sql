-- Delta updates: a hashed single key with a referencing table, a composite key, a table without
-- a change column, a table without a primary key, and a user trigger that must not fire on the twin.
CREATE TABLE customers (
  id bigint PRIMARY KEY,
  email text NOT NULL UNIQUE,
  full_name text NOT NULL,
  tier text NOT NULL DEFAULT 'basic',
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE orders (
  id integer PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES customers (id),
  total numeric(10, 2) NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE order_lines (
  order_id integer NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  line integer NOT NULL,
  sku text NOT NULL,
  qty integer NOT NULL,
  updated_at timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
  PRIMARY KEY (order_id, line)
);
CREATE TABLE countries (code text PRIMARY KEY, name text NOT NULL);
CREATE TABLE audit_notes (note text NOT NULL, at timestamptz NOT NULL DEFAULT now());
-- Fired on the twin, it would give the applied rows other timestamps than the source's.
CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := clock_timestamp(); RETURN NEW; END $$;
CREATE TRIGGER orders_stamp BEFORE INSERT OR UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION stamp();

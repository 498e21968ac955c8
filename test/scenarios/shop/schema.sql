-- A small shop: customers with PII, orders, and the demo company a customization renames.
CREATE TABLE company (id int PRIMARY KEY, name text NOT NULL, logo_url text);
CREATE TABLE customers (
  id serial PRIMARY KEY,
  email text NOT NULL UNIQUE CHECK (email LIKE '%@%'),
  first_name text NOT NULL,
  phone text,
  notes text,
  api_token text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE orders (
  id bigserial PRIMARY KEY,
  customer_id int NOT NULL REFERENCES customers (id),
  amount numeric(12, 2) NOT NULL,
  status text NOT NULL,
  created_at timestamptz NOT NULL
);

-- Every column type the engine must carry, plus awkward names (quoted, mixed case, unicode,
-- spaces), a table without a primary key and a composite key.
CREATE SCHEMA "Sales Dept";
CREATE TYPE "Sales Dept".mood AS ENUM ('sad', 'ok', 'happy', 'it''s complicated');
CREATE DOMAIN "Sales Dept".positive_int AS integer CHECK (VALUE > 0);
CREATE DOMAIN "Sales Dept".email_text AS text CHECK (VALUE LIKE '%@%');
CREATE TYPE "Sales Dept".money_pair AS (currency char(3), amount numeric(12, 2));

CREATE TABLE "Sales Dept"."Kundén Liste" (
  "ID" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  "E-Mail Address" "Sales Dept".email_text NOT NULL UNIQUE,
  "fullName" varchar(80) NOT NULL,
  "Straße" text,
  mood "Sales Dept".mood NOT NULL DEFAULT 'ok',
  moods "Sales Dept".mood[],
  visits "Sales Dept".positive_int,
  profile jsonb,
  avatar bytea,
  search tsvector,
  balance numeric(14, 4),
  ratio double precision,
  ext_id uuid NOT NULL DEFAULT gen_random_uuid(),
  last_ip inet,
  tags text[],
  seen_at timestamptz,
  born date,
  local_ts timestamp,
  wakeup time,
  duration interval,
  active boolean,
  wallet "Sales Dept".money_pair,
  name_upper text GENERATED ALWAYS AS (upper("fullName")) STORED,
  CONSTRAINT "balance not negative" CHECK (balance >= 0)
);
CREATE INDEX "Kundén Liste search" ON "Sales Dept"."Kundén Liste" USING gin (search);
CREATE INDEX ON "Sales Dept"."Kundén Liste" (lower("fullName"));
CREATE INDEX active_only ON "Sales Dept"."Kundén Liste" (seen_at) WHERE active;

-- No primary key at all.
CREATE TABLE "Sales Dept".audit_log (happened_at timestamptz NOT NULL, actor text, message text);

-- Composite primary key and a composite foreign key to it.
CREATE TABLE "Sales Dept".price (sku text, region char(2), amount numeric(10, 2) NOT NULL, PRIMARY KEY (sku, region));
CREATE TABLE "Sales Dept".price_history (
  id serial PRIMARY KEY,
  sku text NOT NULL,
  region char(2) NOT NULL,
  amount numeric(10, 2),
  FOREIGN KEY (sku, region) REFERENCES "Sales Dept".price (sku, region)
);

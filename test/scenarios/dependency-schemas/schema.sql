-- The selected tables live in app, but depend on objects of schemas that hold no selected table:
-- a sequence (ids), enum and domain types (types), a function a CHECK calls (util). reporting holds
-- views and a function over the selected tables, which no table needs.
CREATE SCHEMA ids;
CREATE SCHEMA types;
CREATE SCHEMA util;
CREATE SCHEMA reporting;
CREATE SCHEMA app;
CREATE SEQUENCE ids.global_id START 1000;
CREATE TABLE ids.legacy (id serial PRIMARY KEY);  -- not selected; its sequence is shared with app.accounts
CREATE TYPE types.mood AS ENUM ('sad', 'ok', 'happy');
CREATE FUNCTION util.is_code(t text) RETURNS boolean LANGUAGE sql IMMUTABLE RETURN t ~ '^[A-Z]{3}$';
CREATE DOMAIN types.code AS text CHECK (util.is_code(VALUE));
CREATE TABLE app.accounts (id bigint PRIMARY KEY DEFAULT nextval('ids.global_id'), mood types.mood NOT NULL DEFAULT 'ok',
  country types.code, name text CHECK (util.is_code(upper(left(name, 3)))), legacy_no int DEFAULT nextval('ids.legacy_id_seq'));
CREATE TABLE app.events (id bigint PRIMARY KEY DEFAULT nextval('ids.global_id'), account_id bigint NOT NULL REFERENCES app.accounts (id), moods types.mood[]);
CREATE VIEW reporting.account_moods AS SELECT mood, count(*) AS n FROM app.accounts GROUP BY mood;
CREATE FUNCTION reporting.events_of(a bigint) RETURNS bigint LANGUAGE sql STABLE BEGIN ATOMIC SELECT count(*) FROM app.events WHERE account_id = a; END;

-- Objects that must be created in dependency order, not by kind or name: a domain whose CHECK
-- calls a function, range types (one with a user subtype_diff function), a column typed by
-- another table's row type (a_shipments before b_address by name), and a CHECK whose PL/pgSQL
-- function reads another table (a_items is copied before z_codes: parallelism 1, larger first).
CREATE FUNCTION public.positive(v int) RETURNS boolean LANGUAGE sql IMMUTABLE RETURN v > 0;
CREATE DOMAIN public.pos_int AS int CHECK (public.positive(VALUE));
CREATE FUNCTION public.time_diff(a time, b time) RETURNS float8 LANGUAGE sql IMMUTABLE RETURN extract(epoch FROM a - b);
CREATE TYPE public.timerange AS RANGE (SUBTYPE = time, SUBTYPE_DIFF = public.time_diff);
CREATE TYPE public.floatrange AS RANGE (SUBTYPE = float8, SUBTYPE_DIFF = float8mi);
CREATE TABLE public.z_codes (code text PRIMARY KEY);
CREATE FUNCTION public.known_code(c text) RETURNS boolean LANGUAGE plpgsql STABLE
  AS $$ BEGIN RETURN EXISTS (SELECT 1 FROM public.z_codes WHERE code = c); END $$;
CREATE TABLE public.b_address (street text, city text);
CREATE TABLE public.a_shipments (id int PRIMARY KEY, qty public.pos_int NOT NULL, window_hours public.timerange, weights public.floatrange,
  ship_to public.b_address, stops public.b_address[]);
CREATE TABLE public.a_items (id int PRIMARY KEY, code text NOT NULL CONSTRAINT code_known CHECK (public.known_code(code)), filler text);

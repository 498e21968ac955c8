-- Schema-per-area app: the same table and type names in two schemas (auth.users beside public.users).
CREATE SCHEMA auth;
CREATE TYPE auth.status AS ENUM ('invited', 'active', 'locked');
CREATE TYPE public.status AS ENUM ('draft', 'live');
CREATE DOMAIN auth.email AS text CHECK (VALUE LIKE '%@%');
CREATE FUNCTION auth.valid(t text) RETURNS boolean LANGUAGE sql IMMUTABLE RETURN t LIKE '%@%';
CREATE FUNCTION public.valid(t text) RETURNS boolean LANGUAGE sql IMMUTABLE RETURN length(t) < 40;
CREATE TABLE auth.users (id bigint PRIMARY KEY, email auth.email NOT NULL UNIQUE, state auth.status NOT NULL);
CREATE TABLE public.users (id bigint PRIMARY KEY, auth_id bigint NOT NULL REFERENCES auth.users (id), state public.status NOT NULL,
  nick text CHECK (public.valid(nick)));
CREATE TABLE public.posts (id bigint PRIMARY KEY, author_id bigint NOT NULL REFERENCES public.users (id),
  auth_author bigint REFERENCES auth.users (id), state public.status NOT NULL, auth_state auth.status);
CREATE TABLE auth.sessions (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES auth.users (id), app_user bigint REFERENCES public.users (id),
  state public.status);
CREATE INDEX ON public.posts (author_id);
CREATE INDEX users_valid ON public.users (public.valid(nick));
CREATE INDEX ON auth.sessions (user_id);

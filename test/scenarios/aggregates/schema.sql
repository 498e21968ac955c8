-- A pagila-like schema: the group_concat aggregate and the views that use it (actor_info,
-- film_list, nicer_but_slower_film_list), plus an operator, a cast, a collation and a text search
-- configuration with its own dictionary, used by a column and an index; the operator is used by a
-- CHECK and an index predicate too (so it is needed before the tables).
CREATE FUNCTION public._group_concat(text, text) RETURNS text LANGUAGE sql IMMUTABLE
  AS $$ SELECT CASE WHEN $2 IS NULL THEN $1 WHEN $1 IS NULL THEN $2 ELSE $1 || ', ' || $2 END $$;
CREATE AGGREGATE public.group_concat(text) (SFUNC = public._group_concat, STYPE = text);
CREATE FUNCTION public.ci_eq(text, text) RETURNS boolean LANGUAGE sql IMMUTABLE RETURN lower($1) = lower($2);
CREATE OPERATOR public.=~= (LEFTARG = text, RIGHTARG = text, FUNCTION = public.ci_eq, COMMUTATOR = OPERATOR(public.=~=));
CREATE TYPE public.mpaa_rating AS ENUM ('G', 'PG', 'PG-13', 'R', 'NC-17');
CREATE FUNCTION public.rating_rank(r public.mpaa_rating) RETURNS integer LANGUAGE sql IMMUTABLE
  RETURN array_position(enum_range(NULL::public.mpaa_rating), r);
CREATE CAST (public.mpaa_rating AS integer) WITH FUNCTION public.rating_rank(public.mpaa_rating);
CREATE COLLATION public.title_c (provider = libc, locale = 'C');
CREATE TEXT SEARCH DICTIONARY public.film_stem (TEMPLATE = pg_catalog.simple, STOPWORDS = english);
CREATE TEXT SEARCH CONFIGURATION public.film_search (PARSER = pg_catalog."default");
ALTER TEXT SEARCH CONFIGURATION public.film_search ADD MAPPING FOR asciiword, word WITH public.film_stem;
ALTER TEXT SEARCH CONFIGURATION public.film_search ADD MAPPING FOR int, uint WITH simple;

CREATE TABLE public.category (category_id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE public.actor (actor_id int PRIMARY KEY, first_name text NOT NULL CHECK (NOT first_name OPERATOR(public.=~=) 'nobody'), last_name text NOT NULL);
CREATE INDEX actor_nicks ON public.actor (actor_id) WHERE first_name OPERATOR(public.=~=) 'nick';
CREATE TABLE public.film (film_id int PRIMARY KEY, title text COLLATE public.title_c NOT NULL, description text,
  rating public.mpaa_rating DEFAULT 'G', length int,
  fulltext tsvector GENERATED ALWAYS AS (to_tsvector('public.film_search'::regconfig, coalesce(description, ''))) STORED);
CREATE INDEX film_fulltext_idx ON public.film USING gist (fulltext);
CREATE INDEX film_title_search ON public.film USING gin (to_tsvector('public.film_search'::regconfig, title));
CREATE TABLE public.film_actor (actor_id int REFERENCES public.actor, film_id int REFERENCES public.film, PRIMARY KEY (actor_id, film_id));
CREATE TABLE public.film_category (film_id int REFERENCES public.film, category_id int REFERENCES public.category, PRIMARY KEY (film_id, category_id));

CREATE VIEW public.actor_info AS
  SELECT a.actor_id, a.first_name, a.last_name,
    public.group_concat(DISTINCT c.name || ': ' || (SELECT public.group_concat(f.title) FROM public.film f
      JOIN public.film_category fc_1 ON f.film_id = fc_1.film_id JOIN public.film_actor fa_1 ON f.film_id = fa_1.film_id
      WHERE fc_1.category_id = c.category_id AND fa_1.actor_id = a.actor_id GROUP BY fa_1.actor_id)) AS film_info
  FROM public.actor a LEFT JOIN public.film_actor fa ON a.actor_id = fa.actor_id
  LEFT JOIN public.film_category fc ON fa.film_id = fc.film_id LEFT JOIN public.category c ON fc.category_id = c.category_id
  GROUP BY a.actor_id, a.first_name, a.last_name;
CREATE VIEW public.film_list AS
  SELECT film.film_id AS fid, film.title, film.description, category.name AS category, film.length, film.rating,
    public.group_concat(actor.first_name || ' ' || actor.last_name) AS actors
  FROM public.category LEFT JOIN public.film_category ON category.category_id = film_category.category_id
  LEFT JOIN public.film ON film_category.film_id = film.film_id JOIN public.film_actor ON film.film_id = film_actor.film_id
  JOIN public.actor ON film_actor.actor_id = actor.actor_id
  GROUP BY film.film_id, film.title, film.description, category.name, film.length, film.rating;
CREATE VIEW public.nicer_but_slower_film_list AS
  SELECT film.film_id AS fid, film.title, category.name AS category,
    public.group_concat(upper(substr(actor.first_name, 1, 1)) || lower(substr(actor.first_name, 2)) || ' ' || actor.last_name) AS actors
  FROM public.category LEFT JOIN public.film_category ON category.category_id = film_category.category_id
  LEFT JOIN public.film ON film_category.film_id = film.film_id JOIN public.film_actor ON film.film_id = film_actor.film_id
  JOIN public.actor ON film_actor.actor_id = actor.actor_id
  GROUP BY film.film_id, film.title, category.name;
CREATE VIEW public.namesakes AS SELECT a.actor_id, b.actor_id AS other_id FROM public.actor a JOIN public.actor b ON a.first_name OPERATOR(public.=~=) b.last_name;
CREATE VIEW public.film_ranks AS SELECT film_id, rating::integer AS rank FROM public.film;

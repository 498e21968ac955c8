-- A zero-column table, and columns of the reg* types, whose values are OIDs on the server but
-- names in text: they must arrive as the same names, not the source's numbers.
CREATE TABLE public.marker ();
CREATE TABLE public.widgets (id int PRIMARY KEY, label text);
CREATE FUNCTION public.widget_count() RETURNS bigint LANGUAGE sql STABLE BEGIN ATOMIC SELECT count(*) FROM public.widgets; END;
CREATE TABLE public.object_refs (id int PRIMARY KEY, rel regclass, typ regtype, fn regproc, fn_sig regprocedure, cfg regconfig,
  rels regclass[], nsp regnamespace);

-- A foreign key to a unique index that is no constraint. items is the larger table and
-- parallelism is 1, so the foreign key competes with the referenced index's build.
CREATE TABLE public.codes (id int PRIMARY KEY, code text NOT NULL);
CREATE UNIQUE INDEX codes_code_key_idx ON public.codes (code);
CREATE TABLE public.items (id int PRIMARY KEY, code text NOT NULL REFERENCES public.codes (code), filler text);

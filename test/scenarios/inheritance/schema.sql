-- Table inheritance (children with rows of their own and the parent's CHECK), and a partition
-- that lives in another schema than its partitioned parent.
CREATE TABLE public.vehicles (id int PRIMARY KEY, name text NOT NULL, wheels int CONSTRAINT wheels_positive CHECK (wheels >= 0));
CREATE TABLE public.cars (doors int) INHERITS (public.vehicles);
CREATE TABLE public.bikes (gears int CHECK (gears > 0)) INHERITS (public.vehicles);
CREATE SCHEMA archive;
CREATE TABLE public.events (id int NOT NULL, at date NOT NULL, kind text) PARTITION BY RANGE (at);
CREATE TABLE public.events_current PARTITION OF public.events FOR VALUES FROM ('2024-01-01') TO ('2100-01-01');
CREATE TABLE archive.events_old PARTITION OF public.events FOR VALUES FROM ('2000-01-01') TO ('2024-01-01');
CREATE TABLE public.events_other PARTITION OF public.events DEFAULT;

-- Foreign-key shapes: a redacted uuid key referenced by other tables (the rule follows it), a
-- unique redacted column, a self-reference, a deferrable cycle, a partitioned table, and time
-- windows that must keep referenced parents (FK-aware subsetting).
CREATE TABLE company (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE TABLE employee (
  id int PRIMARY KEY,
  company_id uuid NOT NULL REFERENCES company (id),
  manager_id int REFERENCES employee (id),
  email text NOT NULL UNIQUE,
  hired_at timestamptz NOT NULL
);
-- A cycle, broken by deferrable constraints: every team has a lead, every lead a team.
CREATE TABLE team (id int PRIMARY KEY, name text NOT NULL, lead_id int NOT NULL);
CREATE TABLE team_member (id int PRIMARY KEY, team_id int NOT NULL REFERENCES team (id) DEFERRABLE INITIALLY DEFERRED, person text NOT NULL,
  CONSTRAINT member_once UNIQUE (team_id, id) DEFERRABLE INITIALLY IMMEDIATE);
ALTER TABLE team ADD CONSTRAINT team_lead_fk FOREIGN KEY (lead_id) REFERENCES team_member (id) DEFERRABLE INITIALLY DEFERRED;

CREATE TABLE event (
  id bigint NOT NULL,
  employee_id int NOT NULL REFERENCES employee (id),
  happened_at timestamptz NOT NULL,
  kind text NOT NULL,
  PRIMARY KEY (id, happened_at)
) PARTITION BY RANGE (happened_at);
CREATE TABLE event_2023 PARTITION OF event FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
CREATE TABLE event_2024 PARTITION OF event FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE event_rest PARTITION OF event DEFAULT;
CREATE INDEX event_kind ON event (kind);

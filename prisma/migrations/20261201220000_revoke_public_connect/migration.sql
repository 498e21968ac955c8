-- Only the app's own role may connect to the app database. PostgreSQL grants CONNECT on every
-- new database to PUBLIC, so any role of the server (a demo database's login role, a customer's
-- role on a shared server) could sign in here and read the catalog (table names, row estimates).
-- The role that runs the migrations is granted CONNECT first, so it does not lock itself out.
-- Other roles the app connects as need their own `GRANT CONNECT ON DATABASE ... TO ...`.
-- Skipped (with a warning) when this role may not change the database's grants: neither its
-- owner (or a member of the owner role) nor a superuser.
DO $$
DECLARE
  db text := current_database();
BEGIN
  IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
     OR pg_has_role(current_user, (SELECT datdba FROM pg_database WHERE datname = db), 'USAGE') THEN
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', db, current_user);
    EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM PUBLIC', db);
  ELSE
    RAISE WARNING 'CONNECT on database % is still granted to PUBLIC: role % may not change its grants. Have its owner run REVOKE CONNECT ON DATABASE % FROM PUBLIC (after granting CONNECT to the roles the app uses).', db, current_user, db;
  END IF;
END $$;

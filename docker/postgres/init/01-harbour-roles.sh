#!/bin/sh
# Creates Harbour's roles and database on a fresh PostgreSQL cluster (docs/security.md T11,
# apps/api/src/infra/database/bootstrap.ts holds the same layout for the embedded server):
#
#   harbour_owner  LOGIN, owns the database, the public schema and (through migrations) every
#                  table; runs migrations; BYPASSRLS for maintenance only.
#   harbour_api    NOLOGIN group role; migrations grant table privileges to it, nothing else.
#   harbour_app    LOGIN, member of harbour_api; NOSUPERUSER NOBYPASSRLS NOCREATEDB
#                  NOCREATEROLE; owns nothing. The API connects as this role.
#
# Run by the official postgres image's entrypoint from /docker-entrypoint-initdb.d, once, when
# the data directory is empty, as the `postgres` OS user against the temporary, socket-only
# server (which already runs with the T14 logging settings from compose.yaml `command`).
# Passwords are read by psql itself from the secret files (psql backquote expansion with
# shell-quoted :'file' variables) and used through :'var' interpolation, which quotes them as
# SQL literals: they never appear in a shell command line, in the environment, or in the log
# (VERBOSITY terse keeps psql from echoing statement text on an error).
#
# Environment (set in docker/compose.yaml):
#   HARBOUR_OWNER_PASSWORD_FILE, HARBOUR_APP_PASSWORD_FILE   required
#   HARBOUR_DB_NAME (harbour), HARBOUR_OWNER_ROLE (harbour_owner), HARBOUR_APP_ROLE (harbour_app)
#
# Works both when executed (it is executable) and when sourced (the image sources *.sh files
# that lost their execute bit), so it uses no `exit` on success and no `set -u`.
set -e

harbour_init_roles() {
  db_name=${HARBOUR_DB_NAME:-harbour}
  owner_role=${HARBOUR_OWNER_ROLE:-harbour_owner}
  app_role=${HARBOUR_APP_ROLE:-harbour_app}

  for name in "$db_name" "${db_name}_keyring" "$owner_role" "$app_role"; do
    # Same rule as quoteIdent() in bootstrap.ts.
    if ! printf '%s' "$name" | grep -Eq '^[a-z_][a-z0-9_]{0,62}$'; then
      echo "01-harbour-roles: database and role names must be lower-case letters, digits and underscores" >&2
      return 1
    fi
  done
  if [ "$owner_role" = "$app_role" ] || [ "$owner_role" = harbour_api ] || [ "$app_role" = harbour_api ]; then
    echo "01-harbour-roles: the owner, harbour_api and app roles must be three different roles" >&2
    return 1
  fi

  for file in "${HARBOUR_OWNER_PASSWORD_FILE:-}" "${HARBOUR_APP_PASSWORD_FILE:-}"; do
    if [ -z "$file" ] || [ ! -r "$file" ]; then
      echo "01-harbour-roles: set HARBOUR_OWNER_PASSWORD_FILE and HARBOUR_APP_PASSWORD_FILE to readable secret files" >&2
      return 1
    fi
    # One line, at least 16 characters; the API side (docker/entrypoint.sh) ignores one
    # trailing newline exactly as psql's backquote expansion does.
    if [ "$(wc -l < "$file")" -gt 1 ] || [ "$(tr -d '\n' < "$file" | wc -c)" -lt 16 ] ||
      [ "$(tr -d '\n' < "$file" | tr -d '\r' | wc -c)" -ne "$(tr -d '\n' < "$file" | wc -c)" ]; then
      echo "01-harbour-roles: $file must hold one line of at least 16 characters (docker/secrets/README.md)" >&2
      return 1
    fi
  done
  if cmp -s "$HARBOUR_OWNER_PASSWORD_FILE" "$HARBOUR_APP_PASSWORD_FILE"; then
    echo "01-harbour-roles: the owner and app roles must have different passwords" >&2
    return 1
  fi

  # PGHOST/PGHOSTADDR empty: the temporary server listens on the Unix socket only.
  PGHOST='' PGHOSTADDR='' psql \
    --no-psqlrc --no-password --quiet \
    --username "${POSTGRES_USER:-postgres}" --dbname postgres \
    -v ON_ERROR_STOP=1 -v VERBOSITY=terse \
    -v db_name="$db_name" -v keyring_name="${db_name}_keyring" -v owner_role="$owner_role" -v app_role="$app_role" \
    -v owner_password_file="$HARBOUR_OWNER_PASSWORD_FILE" \
    -v app_password_file="$HARBOUR_APP_PASSWORD_FILE" <<'SQL'
\set owner_password `cat :'owner_password_file'`
\set app_password `cat :'app_password_file'`

SET password_encryption = 'scram-sha-256';

SELECT NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'owner_role') AS create_owner \gset
\if :create_owner
CREATE ROLE :"owner_role";
\endif
-- The owner needs BYPASSRLS only for maintenance (seeding, operator commands); it already
-- controls its own tables, so this grants nothing it could not take.
ALTER ROLE :"owner_role" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION BYPASSRLS
  PASSWORD :'owner_password';

SELECT NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'harbour_api') AS create_group \gset
\if :create_group
CREATE ROLE harbour_api;
\endif
ALTER ROLE harbour_api NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;

SELECT NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'app_role') AS create_app \gset
\if :create_app
CREATE ROLE :"app_role";
\endif
ALTER ROLE :"app_role" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT
  PASSWORD :'app_password';
GRANT harbour_api TO :"app_role";

\unset owner_password
\unset app_password

SELECT NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db_name') AS create_db \gset
\if :create_db
CREATE DATABASE :"db_name" OWNER :"owner_role" ENCODING 'UTF8' TEMPLATE template0;
\endif

-- Only the two Harbour roles may connect to the Harbour database.
REVOKE ALL ON DATABASE :"db_name" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"db_name" TO harbour_api;
GRANT CONNECT, CREATE, TEMPORARY ON DATABASE :"db_name" TO :"owner_role";
-- Nor may they wander into the maintenance database (the superuser keeps its access).
REVOKE CONNECT, TEMPORARY ON DATABASE postgres FROM PUBLIC;

-- The public schema belongs to the owner; nobody else may create objects in it.
\connect :"db_name"
ALTER SCHEMA public OWNER TO :"owner_role";
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO harbour_api;

-- The keyring database beside it (wrapped key material, backed up apart: docs/operations.md
-- "Backups"), hardened alike. A keyring on a server of its own is created there the same way.
\connect postgres
SELECT NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'keyring_name') AS create_keyring \gset
\if :create_keyring
CREATE DATABASE :"keyring_name" OWNER :"owner_role" ENCODING 'UTF8' TEMPLATE template0;
\endif
REVOKE ALL ON DATABASE :"keyring_name" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"keyring_name" TO harbour_api;
GRANT CONNECT, CREATE, TEMPORARY ON DATABASE :"keyring_name" TO :"owner_role";
\connect :"keyring_name"
ALTER SCHEMA public OWNER TO :"owner_role";
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO harbour_api;
SQL
  echo "01-harbour-roles: created roles $owner_role, harbour_api, $app_role and databases $db_name, ${db_name}_keyring"
}

harbour_init_roles

#!/bin/sh
# Harbour container entrypoint (POSIX sh). Prepares secrets that arrive as files, then execs
# the command (default: the API) so that it runs as PID 1 of its process tree and receives
# signals directly. It never prints a secret.
#
# 1. Database URLs. The API reads DATABASE_URL / DATABASE_MIGRATION_URL from the environment.
#    When DATABASE_PASSWORD_FILE (and/or DATABASE_MIGRATION_PASSWORD_FILE) is set, the URL is
#    built here from:
#      DATABASE_HOST            required
#      DATABASE_PORT            default 5432
#      DATABASE_NAME            required
#      DATABASE_USER            required with DATABASE_PASSWORD_FILE
#      DATABASE_MIGRATION_USER  required with DATABASE_MIGRATION_PASSWORD_FILE
#      DATABASE_URL_PARAMS      optional query string, e.g. sslmode=verify-full&sslrootcert=/run/secrets/db-ca.pem
#    User, password and database name are percent-encoded, so any password characters work.
#    The file must hold the password on one line; one trailing newline is ignored (as psql does
#    in docker/postgres/init/01-harbour-roles.sh, so both sides agree on the password).
#
# 2. Master key. The API refuses a key file that is readable by group or others, or owned by
#    another user. Compose file-based secrets are bind mounts that keep the host file's owner
#    and mode, and plain `docker compose` ignores the long-syntax `uid`/`gid`/`mode` for them
#    (it warns and mounts the file as it is; those fields work only in Swarm). So when
#    HARBOUR_MASTER_KEY_FILE points into /run/secrets/, the key is copied into a fresh 0700
#    directory on the /tmp tmpfs as a 0600 file owned by the running user, and
#    HARBOUR_MASTER_KEY_FILE is pointed at the copy. This grants nothing new: whoever can read
#    the copy (this uid, root) can read the mounted secret too. The copy lives in memory and
#    disappears with the container. Key files elsewhere are left alone, so the API's own checks
#    apply to them unchanged.
set -eu

die() {
  printf 'harbour-entrypoint: %s\n' "$*" >&2
  exit 78 # EX_CONFIG, as the API uses for configuration errors
}

# build_url USER_VARIABLE PASSWORD_FILE: prints postgres://user:password@host:port/db[?params]
build_url() {
  # The single-quoted program is JavaScript; its ${...} are template literals, not shell.
  # shellcheck disable=SC2016
  HARBOUR_URL_USER_VAR="$1" HARBOUR_URL_PASSWORD_FILE="$2" node -e '
    const fs = require("node:fs");
    const env = process.env;
    const fail = (message) => {
      process.stderr.write(`harbour-entrypoint: ${message}\n`);
      process.exit(78);
    };
    const required = (name) => {
      const value = (env[name] || "").trim();
      if (value === "") fail(`${name} is required when a database password file is set`);
      return value;
    };
    const file = env.HARBOUR_URL_PASSWORD_FILE;
    let password;
    try {
      password = fs.readFileSync(file, "utf8");
    } catch (error) {
      fail(`cannot read password file ${file} (${error.code || "error"})`);
    }
    password = password.replace(/\r?\n$/, "");
    if (password === "") fail(`password file ${file} is empty`);
    if (/[\r\n\0]/.test(password)) fail(`password file ${file} must hold a single line`);
    const user = required(env.HARBOUR_URL_USER_VAR);
    const host = required("DATABASE_HOST");
    const database = required("DATABASE_NAME");
    const port = (env.DATABASE_PORT || "5432").trim();
    if (!/^[0-9]{1,5}$/.test(port)) fail("DATABASE_PORT must be a port number");
    if (/[\s\/@?#]/.test(host)) fail("DATABASE_HOST must be a bare host name or address");
    const params = (env.DATABASE_URL_PARAMS || "").trim();
    if (/\s/.test(params)) fail("DATABASE_URL_PARAMS must not contain white space");
    const hostPart = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
    const e = encodeURIComponent;
    process.stdout.write(
      `postgres://${e(user)}:${e(password)}@${hostPart}:${port}/${e(database)}` +
        (params === "" ? "" : `?${params.replace(/^\?/, "")}`),
    );
  '
}

if [ -n "${DATABASE_PASSWORD_FILE:-}" ]; then
  [ -z "${DATABASE_URL:-}" ] || die "set DATABASE_URL or DATABASE_PASSWORD_FILE, not both"
  url=$(build_url DATABASE_USER "$DATABASE_PASSWORD_FILE")
  DATABASE_URL=$url
  export DATABASE_URL
fi

if [ -n "${DATABASE_MIGRATION_PASSWORD_FILE:-}" ]; then
  [ -z "${DATABASE_MIGRATION_URL:-}" ] ||
    die "set DATABASE_MIGRATION_URL or DATABASE_MIGRATION_PASSWORD_FILE, not both"
  url=$(build_url DATABASE_MIGRATION_USER "$DATABASE_MIGRATION_PASSWORD_FILE")
  DATABASE_MIGRATION_URL=$url
  export DATABASE_MIGRATION_URL
fi
unset url

key_file=${HARBOUR_MASTER_KEY_FILE:-}
case $key_file in
  /run/secrets/*)
    # Absent (e.g. the one-off migrate job, which never reads the key): leave it to the API.
    if [ -e "$key_file" ]; then
      [ -r "$key_file" ] ||
        die "cannot read $key_file as uid $(id -u): make the secret file readable (docker/secrets/README.md)"
      key_dir=$(mktemp -d "${TMPDIR:-/tmp}/harbour-key.XXXXXX") ||
        die "cannot create a private directory under ${TMPDIR:-/tmp} (mount a tmpfs there)"
      (umask 077 && cat "$key_file" > "$key_dir/master.key")
      HARBOUR_MASTER_KEY_FILE=$key_dir/master.key
      export HARBOUR_MASTER_KEY_FILE
      unset key_dir
    fi
    ;;
esac
unset key_file

if [ "$#" -eq 0 ]; then
  set -- node dist/apps/api/main.js
fi
exec "$@"

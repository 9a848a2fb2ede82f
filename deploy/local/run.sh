#!/usr/bin/env bash
# Runs identityd on this machine: installs what is missing from Debian's
# packages, builds, starts a private PostgreSQL cluster under var/ in the
# checkout, and serves gRPC on 127.0.0.1:50051 (IDENTITY_LISTEN_ADDRESS).
#
# The bootstrap global admin comes from IDENTITY_BOOTSTRAP_ADMIN_USERNAME and
# IDENTITY_BOOTSTRAP_ADMIN_PASSWORD when set; otherwise a random password is
# generated on the first run and kept in var/bootstrap-admin-password.
# Ctrl-C stops the server and the database.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
source deploy/local/packages.sh
identity_ensure_packages "${IDENTITY_RUNTIME_PACKAGES[@]}"

cmake -S . -B build-run -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DIDENTITY_BUILD_TESTS=OFF >/dev/null
cmake --build build-run --target identityd

var="$root/var"
pgdata="$var/pg/data"
pgport=${IDENTITY_LOCAL_PG_PORT:-55432}
bindir=$(identity_pg_bindir)
mkdir -p "$var/pg"
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres "$var/pg"
  as_pg=(runuser -u postgres --)
fi
if [ ! -f "$pgdata/PG_VERSION" ]; then
  echo "initializing a private PostgreSQL cluster in $pgdata" >&2
  "${as_pg[@]}" "$bindir/initdb" -D "$pgdata" -U postgres -A trust -E UTF8 \
    --locale=C.UTF-8 >/dev/null
fi
"${as_pg[@]}" "$bindir/pg_ctl" -D "$pgdata" -l "$var/pg/server.log" -w -o \
  "-p $pgport -k $var/pg -c listen_addresses=127.0.0.1" start >/dev/null
stop_pg() { "${as_pg[@]}" "$bindir/pg_ctl" -D "$pgdata" -m fast -w stop >/dev/null || true; }
trap stop_pg EXIT
psql -h 127.0.0.1 -p "$pgport" -U postgres -tAc \
  "SELECT 1 FROM pg_database WHERE datname = 'identity'" | grep -q 1 \
  || psql -h 127.0.0.1 -p "$pgport" -U postgres -qc "CREATE DATABASE identity"

export IDENTITY_DATABASE_URL=${IDENTITY_DATABASE_URL:-postgresql://postgres@127.0.0.1:$pgport/identity}
export IDENTITY_LISTEN_ADDRESS=${IDENTITY_LISTEN_ADDRESS:-127.0.0.1:50051}
export IDENTITY_BOOTSTRAP_ADMIN_USERNAME=${IDENTITY_BOOTSTRAP_ADMIN_USERNAME:-admin@example.com}
if [ -z "${IDENTITY_BOOTSTRAP_ADMIN_PASSWORD:-}${IDENTITY_BOOTSTRAP_ADMIN_PASSWORD_FILE:-}" ]; then
  secret="$var/bootstrap-admin-password"
  if [ ! -s "$secret" ]; then
    (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=' > "$secret")
  fi
  export IDENTITY_BOOTSTRAP_ADMIN_PASSWORD_FILE="$secret"
fi
if [ -z "${IDENTITY_SECRET_KEY:-}${IDENTITY_SECRET_KEY_FILE:-}" ]; then
  key="$var/secret-key"
  [ -s "$key" ] || (umask 077; head -c 32 /dev/urandom | base64 > "$key")
  export IDENTITY_SECRET_KEY_FILE="$key"
fi
cat >&2 <<MSG
identityd on $IDENTITY_LISTEN_ADDRESS; bootstrap admin: $IDENTITY_BOOTSTRAP_ADMIN_USERNAME
  password: ${IDENTITY_BOOTSTRAP_ADMIN_PASSWORD_FILE:+cat $IDENTITY_BOOTSTRAP_ADMIN_PASSWORD_FILE}${IDENTITY_BOOTSTRAP_ADMIN_PASSWORD:+(the IDENTITY_BOOTSTRAP_ADMIN_PASSWORD you set)}
  log in:   tests/tools/grpc_reflect.py $IDENTITY_LISTEN_ADDRESS call identity.v1.AuthService/Authenticate \\
              '{"username":"$IDENTITY_BOOTSTRAP_ADMIN_USERNAME","password":"<password>"}'
  (the bootstrap admin is created only when no enabled internal global admin exists)
MSG
build-run/server/identityd &
server=$!
trap 'kill -TERM $server 2>/dev/null || true; wait $server 2>/dev/null || true; stop_pg' EXIT
trap 'kill -TERM $server 2>/dev/null' INT TERM
wait $server || true

# Sourced by deploy/local/run.sh and tests/run.sh: installs the Debian
# packages that are missing, by name, and nothing else.

# What building and running the service needs.
IDENTITY_RUNTIME_PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libabsl-dev libpqxx-dev libsodium-dev libcurl4-openssl-dev liboath-dev libldap-dev libcivetweb-dev liblasso3-dev libxmlsec1-dev libssl-dev
  postgresql postgresql-client tzdata
  grpc-proto python3-grpcio python3-grpc-tools python3-protobuf
)
# What the tests need on top.
IDENTITY_TEST_PACKAGES=(
  googletest libgtest-dev libgmock-dev libbenchmark-dev python3-aiosmtpd slapd ldap-utils
  openssl yamllint clang libclang-rt-14-dev python3-pysaml2 xmlsec1
  samba-ad-dc samba-ad-provision ldb-tools
)

identity_ensure_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing missing Debian packages: ${missing[*]}" >&2
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null
}

# The newest PostgreSQL server binaries (Debian keeps them off PATH).
identity_pg_bindir() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

# Stops the servers a crashed test or benchmark could not stop: only ours,
# found by their temporary directories and the build directory ($1).
identity_stop_test_servers() {
  pkill -f 'identity-pg-' 2>/dev/null || true
  pkill -f 'identity-slapd-' 2>/dev/null || true
  pkill -f 'identity-smtp-' 2>/dev/null || true
  pkill -f "$1/server/identityd" 2>/dev/null || true
}

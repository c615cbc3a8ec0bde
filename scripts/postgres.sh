# Starts a PostgreSQL server from Debian's packages for the database tests
# and exports the connection string that Backstage's TestDatabases reads.
# Sourced by scripts/test.sh.

rf_start_postgres() {
  local version
  version="$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -n 1)"
  if [ -z "$version" ]; then
    rf_log "PostgreSQL is not installed; database tests run on SQLite only."
    return 0
  fi
  if [ "$(id -u)" != 0 ]; then
    rf_log "Not root: start PostgreSQL $version yourself and set BACKSTAGE_TEST_DATABASE_POSTGRES${version}_CONNECTION_STRING; database tests run on SQLite only."
    return 0
  fi
  if ! pg_lsclusters -h 2>/dev/null | grep -q "^$version main"; then
    pg_createcluster "$version" main >/dev/null
  fi
  if ! pg_lsclusters -h | grep -q "^$version main .* online"; then
    pg_ctlcluster "$version" main start
  fi
  local port
  port="$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" { print $3 }')"
  # A throwaway password for a server that listens on loopback only and
  # exists for the test run.
  su postgres -c "psql -q -p $port -c \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null
  export "BACKSTAGE_TEST_DATABASE_POSTGRES${version}_CONNECTION_STRING=postgresql://postgres:postgres@127.0.0.1:$port"
  rf_log "PostgreSQL $version is running on 127.0.0.1:$port"
}

#!/usr/bin/env bash
# Prepare a checkout of DNSMate for `make run` / `make test`. Idempotent, and quick
# when everything is already in place.
#
#   scripts/setup.sh                  system packages, Python venv, frontend build
#   scripts/setup.sh --with-postgres  also start PostgreSQL 15 and create the test
#                                     role (with CREATEDB: each test run creates its own
#                                     database) and base database; writes .venv/.postgres-url
#                                     when it is reachable (removes it otherwise)
#   scripts/setup.sh --python-only    only the Python venv (for lint/format)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

WITH_POSTGRES=0
PYTHON_ONLY=0
for arg in "$@"; do
    case "$arg" in
        --with-postgres) WITH_POSTGRES=1 ;;
        --python-only) PYTHON_ONLY=1 ;;
        -h | --help)
            sed -n '2,10p' "$0"
            exit 0
            ;;
        *)
            echo "setup.sh: unknown argument: $arg" >&2
            exit 2
            ;;
    esac
done

VENV=.venv
STAMP="$VENV/.installed-stamp"
PG_URL_FILE="$VENV/.postgres-url"
PG_VERSION=15
PG_CLUSTER=main
PG_ROLE=dnsmate
PG_PASSWORD=dnsmate
PG_DATABASE=dnsmate_test

log() { echo "setup: $*"; }
is_root() { [ "$(id -u)" -eq 0 ]; }
deb_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed$'
}

# --- Debian packages -------------------------------------------------------------
install_system_packages() {
    # slapd/ldap-utils: the LDAP sign-in tests; bind9-dnsutils, kea-dhcp-ddns-server, ddclient and
    # inadyn: the real clients of the RFC 2136 and DynDNS2 gateways; lego and pebble: an ACME
    # client and test CA (tests/integration/test_acme_lego.py; neither starts a service).
    local wanted=(pdns-server pdns-backend-sqlite3 chromium fonts-noto-color-emoji nginx
        slapd ldap-utils bind9-dnsutils kea-dhcp-ddns-server ddclient inadyn lego pebble)
    if [ -f frontend/package.json ] && ! command -v npm >/dev/null; then
        wanted+=(nodejs npm)
    fi
    local missing=() pkg
    for pkg in "${wanted[@]}"; do
        deb_installed "$pkg" || missing+=("$pkg")
    done
    [ "${#missing[@]}" -eq 0 ] && return 0

    if ! is_root; then
        echo "setup: missing Debian packages: ${missing[*]}" >&2
        echo "setup: install them as root:  apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    log "installing ${missing[*]}"
    if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
        apt-get update
    fi
    # Debian starts a system-wide service (pdns on port 53, nginx on 80, slapd on 389, the Kea
    # and ddclient daemons) right after installing its package. The tests run their own
    # instances, so forbid starting any service while installing, then keep them off at boot.
    local policy=/usr/sbin/policy-rc.d made_policy=0 status=0
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && made_policy=1
    fi
    apt-get install -y "${missing[@]}" || {
        log "install failed; refreshing package lists and retrying"
        apt-get update && apt-get install -y "${missing[@]}"
    } || status=$?
    if [ "$made_policy" -eq 1 ]; then
        rm -f "$policy"
    fi
    [ "$status" -eq 0 ] || exit "$status"
    for pkg in "${missing[@]}"; do
        case $pkg in
        pdns-server) disable_system_service pdns ;;
        nginx | slapd | ddclient | inadyn | kea-dhcp-ddns-server) disable_system_service "$pkg" ;;
        esac
    done
}

# Stop a system service a package started and keep it from starting at boot.
disable_system_service() {
    local name=$1
    log "stopping and disabling the system $name service"
    if [ -d /run/systemd/system ] && command -v systemctl >/dev/null; then
        systemctl disable --now "$name.service" >/dev/null 2>&1 || true
    elif command -v systemctl >/dev/null; then
        systemctl disable "$name.service" >/dev/null 2>&1 || true # offline: removes the links
    fi
    if [ -x "/etc/init.d/$name" ]; then
        if command -v service >/dev/null; then
            service "$name" stop >/dev/null 2>&1 || true
        else
            "/etc/init.d/$name" stop >/dev/null 2>&1 || true
        fi
        if command -v update-rc.d >/dev/null; then
            update-rc.d "$name" disable >/dev/null 2>&1 || true
        fi
    fi
}

# --- Python ------------------------------------------------------------------------
setup_python() {
    if [ ! -x "$VENV/bin/python" ]; then
        log "creating $VENV"
        python3 -m venv "$VENV"
    fi
    if [ -f pyproject.toml ] && [ pyproject.toml -nt "$STAMP" ]; then
        log "installing the dnsmate package and dev tools into $VENV"
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e '.[dev]'
        touch "$STAMP"
    fi
}

# --- Frontend ----------------------------------------------------------------------
setup_frontend() {
    [ -f frontend/package.json ] || return 0
    if ! command -v npm >/dev/null; then
        echo "setup: npm not found; install nodejs and npm" >&2
        exit 1
    fi
    if [ ! -d frontend/node_modules ] || [ frontend/package.json -nt frontend/node_modules ] \
        || { [ -f frontend/package-lock.json ] \
            && [ frontend/package-lock.json -nt frontend/node_modules ]; }; then
        log "installing frontend dependencies"
        if [ -f frontend/package-lock.json ]; then
            (cd frontend && npm ci --no-audit --no-fund)
        else
            (cd frontend && npm install --no-audit --no-fund)
        fi
        touch frontend/node_modules
    fi
    # Rebuild only when something outside node_modules/ and dist/ changed.
    local marker=frontend/dist/index.html
    if [ ! -f "$marker" ] || [ -n "$(find frontend \
        \( -path frontend/node_modules -o -path frontend/dist \) -prune \
        -o -type f -newer "$marker" -print -quit)" ]; then
        log "building the frontend"
        (cd frontend && npm run build)
        [ -f "$marker" ] && touch "$marker"
    fi
}

# --- PostgreSQL (tests only) -----------------------------------------------------------
as_postgres() {
    if command -v runuser >/dev/null; then
        runuser -u postgres -- "$@"
    else
        su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
    fi
}

psql_admin() {
    as_postgres psql --no-psqlrc -v ON_ERROR_STOP=1 -qtA -p "$1" -c "$2"
}

# Called in an `if`, where set -e is off: every step checks its own status.
ensure_role_and_database() {
    local port=$1 found
    found=$(psql_admin "$port" "SELECT 1 FROM pg_roles WHERE rolname = '$PG_ROLE'") || return 1
    if [ -z "$found" ]; then
        log "creating role $PG_ROLE"
        psql_admin "$port" "CREATE ROLE $PG_ROLE LOGIN CREATEDB PASSWORD '$PG_PASSWORD'" \
            || return 1
    fi
    # Each test run creates (and drops) its own database beside $PG_DATABASE.
    found=$(psql_admin "$port" "SELECT rolcreatedb FROM pg_roles WHERE rolname = '$PG_ROLE'") \
        || return 1
    if [ "$found" != t ]; then
        log "granting CREATEDB to $PG_ROLE"
        psql_admin "$port" "ALTER ROLE $PG_ROLE CREATEDB" || return 1
    fi
    found=$(psql_admin "$port" "SELECT 1 FROM pg_database WHERE datname = '$PG_DATABASE'") \
        || return 1
    if [ -z "$found" ]; then
        log "creating database $PG_DATABASE"
        psql_admin "$port" "CREATE DATABASE $PG_DATABASE OWNER $PG_ROLE" || return 1
    fi
}

setup_postgres() {
    rm -f "$PG_URL_FILE"
    if ! command -v pg_lsclusters >/dev/null || [ ! -x "/usr/lib/postgresql/$PG_VERSION/bin/postgres" ]; then
        log "PostgreSQL $PG_VERSION is not installed; database tests run on SQLite only"
        return 0
    fi
    local line port status
    line=$(pg_lsclusters --no-header 2>/dev/null | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" \
        '$1 == v && $2 == c { print $3, $4 }')
    if [ -z "$line" ]; then
        log "no PostgreSQL cluster $PG_VERSION/$PG_CLUSTER; database tests run on SQLite only"
        return 0
    fi
    read -r port status <<<"$line"
    if [ "$status" != online ]; then
        if ! is_root; then
            log "PostgreSQL $PG_VERSION/$PG_CLUSTER is $status and starting it needs root;" \
                "database tests run on SQLite only"
            return 0
        fi
        log "starting PostgreSQL $PG_VERSION/$PG_CLUSTER"
        if ! pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$PG_CLUSTER" start; then
            log "could not start PostgreSQL; database tests run on SQLite only"
            return 0
        fi
    fi
    if is_root && ! ensure_role_and_database "$port"; then
        log "could not create role $PG_ROLE / database $PG_DATABASE;" \
            "database tests run on SQLite only"
        return 0
    fi
    if PGPASSWORD="$PG_PASSWORD" PGCONNECT_TIMEOUT=5 psql --no-psqlrc -qtA -h 127.0.0.1 -p "$port" \
        -U "$PG_ROLE" -d "$PG_DATABASE" -c 'SELECT 1' >/dev/null 2>&1; then
        echo "postgresql+asyncpg://$PG_ROLE:$PG_PASSWORD@127.0.0.1:$port/$PG_DATABASE" >"$PG_URL_FILE"
        log "PostgreSQL test database ready (URL in $PG_URL_FILE)"
    else
        log "cannot log in to $PG_DATABASE as $PG_ROLE on 127.0.0.1:$port;" \
            "database tests run on SQLite only"
    fi
}

if [ "$PYTHON_ONLY" -eq 0 ]; then
    install_system_packages
fi
setup_python
if [ "$PYTHON_ONLY" -eq 0 ]; then
    setup_frontend
fi
if [ "$WITH_POSTGRES" -eq 1 ]; then
    setup_postgres
fi

#!/bin/sh
# Zero-downtime upgrade of the dnsmate@ processes: migrate once, then restart one process
# at a time, waiting until it is ready before touching the next (nginx sends requests to
# the others meanwhile).
#   deploy/rolling-restart.sh 8001 8002 8003
set -eu
[ "$#" -gt 0 ] || { echo "usage: $0 PORT..." >&2; exit 2; }
systemctl start dnsmate-migrate.service
for port in "$@"; do
    systemctl restart "dnsmate@$port.service"
    tries=0
    until curl -fsS "http://127.0.0.1:$port/api/ready" >/dev/null 2>&1; do
        tries=$((tries + 1))
        if [ "$tries" -ge 60 ]; then
            echo "dnsmate@$port is not ready after 60 s; stopping the upgrade here" >&2
            exit 1
        fi
        sleep 1
    done
    echo "dnsmate@$port ready"
done

#!/usr/bin/env bash
# Generate frontend/src/api/schema.d.ts (the API's TypeScript types) from the OpenAPI
# document of create_app(); no server is started. With --check, change nothing and fail
# when the committed copy differs from what the code generates now.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
target="$root/frontend/src/api/schema.d.ts"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

"$root/.venv/bin/python" "$root/scripts/openapi.py" "$tmp/openapi.json"
cd "$root/frontend"
npx --no-install openapi-typescript "$tmp/openapi.json" --output "$tmp/raw.d.ts" >/dev/null
# Formatted with the frontend's Prettier settings, so `npm run lint` accepts the file.
npx --no-install prettier --stdin-filepath src/api/schema.d.ts < "$tmp/raw.d.ts" > "$tmp/schema.d.ts"

if [ "${1:-}" = "--check" ]; then
  if ! cmp -s "$tmp/schema.d.ts" "$target"; then
    diff -u "$target" "$tmp/schema.d.ts" | head -40 >&2 || true
    echo "frontend/src/api/schema.d.ts is stale: run \`make api-types\` and commit it" >&2
    exit 1
  fi
  echo "frontend/src/api/schema.d.ts is up to date"
else
  cp "$tmp/schema.d.ts" "$target"
  echo "wrote frontend/src/api/schema.d.ts"
fi

#!/usr/bin/env bash
# The benchmark on 1,000 items, so it cannot rot: a fresh PostgreSQL database, migrate,
# seed_bulk, then `manage.py bench` with a small request count. Times are not asserted; this
# exits 0 unless something crashes. Run from the repository root (the CI calls it from .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

db="${BENCH_CI_DATABASE:-traditions_bench_ci}"
host="${PGHOST:-127.0.0.1}"
psql -h "$host" -U postgres -q -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
export DATABASE_URL="postgres://postgres@$host:5432/$db"
export DJANGO_DEBUG=1  # development settings: the bench overrides what it needs itself

.venv/bin/python manage.py migrate -v0
.venv/bin/python manage.py seed_bulk --items 1000
.venv/bin/python manage.py bench --requests 5 --import-rows 200 --output "$(mktemp -d)"
# The site under gunicorn with the mixed load, briefly; exits 1 on any 5xx answer.
.venv/bin/python bench/load.py --seconds 5 --concurrency 2 --output ""
psql -h "$host" -U postgres -q -c "DROP DATABASE IF EXISTS $db"

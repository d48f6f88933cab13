#!/usr/bin/env bash
# Run the web server (gunicorn) and the background worker together; Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
WEB_WORKERS="${WEB_WORKERS:-2}"

# Access log: method, path without query string (searches can hold personal data), status,
# size and duration. No client IPs.
"$BIN/gunicorn" cityhall.wsgi:application --bind "$HOST:$PORT" --workers "$WEB_WORKERS" \
  --access-logfile - --access-logformat '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms' \
  --log-level info &
web=$!
"$BIN/cityhall" db_worker --queue-name '*' --no-reload &
worker=$!

stop() {
  trap - INT TERM EXIT
  kill -TERM "$web" "$worker" 2>/dev/null || true
  wait "$web" "$worker" 2>/dev/null || true
}
trap stop INT TERM EXIT

echo "Virtual City Hall is running at http://$HOST:$PORT (Ctrl-C to stop)."
wait -n "$web" "$worker"

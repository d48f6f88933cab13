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
# Notifications: the delivery worker, and (in development) the local fake SMS provider that
# speaks Twilio's API; what it "sent" is in var/fake-twilio.jsonl. Emails go to the console
# backend unless EMAIL_BACKEND/EMAIL_HOST say otherwise.
mkdir -p var
extra=()
if [ "${DEBUG:-0}" = "1" ] && [ -z "${TWILIO_API_BASE_URL:-}" ]; then
  "$BIN/cityhall" fake_twilio --host 127.0.0.1 --port 8031 --log var/fake-twilio.jsonl \
    --auth-token "${TWILIO_AUTH_TOKEN:-dev-twilio-token}" \
    --callback-token "${TWILIO_AUTH_TOKEN:-dev-twilio-token}" &
  extra+=($!)
fi
"$BIN/cityhall" notifications_worker &
notifier=$!
"$BIN/cityhall" webhooks_worker &
extra+=($!)
# The demo "City Parking" app on its own port: signs residents in through City Hall.
if [ "${DEBUG:-0}" = "1" ]; then
  PARKING_CLIENT_SECRET="${PARKING_CLIENT_SECRET:-demo-parking-secret-not-for-production}" \
  PARKING_WEBHOOK_SECRET="${PARKING_WEBHOOK_SECRET:-demo-parking-webhook-secret}" \
    "$BIN/cityhall" parking_demo --host "$HOST" --port "${PARKING_PORT:-8001}" \
    --issuer "http://$HOST:$PORT" --client-id city-parking-demo &
  extra+=($!)
fi

stop() {
  trap - INT TERM EXIT
  kill -TERM "$web" "$worker" "$notifier" "${extra[@]}" 2>/dev/null || true
  wait "$web" "$worker" "$notifier" "${extra[@]}" 2>/dev/null || true
}
trap stop INT TERM EXIT

echo "Virtual City Hall is running at http://$HOST:$PORT (Ctrl-C to stop)."
wait -n "$web" "$worker" "$notifier"

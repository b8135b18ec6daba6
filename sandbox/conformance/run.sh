#!/usr/bin/env bash
# Checks sprout-sandbox against the Partner API contract with an outside tool (schemathesis,
# pinned in requirements.txt): starts the built sandbox on a free loopback port, runs the
# contract's operations against it with Basic auth, stops it, and fails on any finding.
set -euo pipefail
export CI=true PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1

root=$(git rev-parse --show-toplevel)
cd "$root"
contract=${SPROUT_SHARED:-$root/../shared}/partner-api.openapi.yml
here=sandbox/conformance
venv=target/conformance-venv
pinned=$(sed -n 's/^schemathesis==//p' "$here/requirements.txt")

# Install only when the pinned version is not already there.
if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -qF "version $pinned"; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet -r "$here/requirements.txt"
fi

cargo build --quiet -p sprout-sandbox
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
key=conformance-key
user=recruiter@sprout.test
target/debug/sprout-sandbox --dialect seed --port "$port" --api-key "$key" --user "$user:admin" \
  --no-admin </dev/null >target/conformance-sandbox.log 2>&1 &
sandbox=$!
trap 'kill "$sandbox" 2>/dev/null; wait "$sandbox" 2>/dev/null || true' EXIT

for _ in $(seq 50); do
  grep -q "Partner API base URL" target/conformance-sandbox.log && break
  sleep 0.1
done
base="http://127.0.0.1:$port/v1/partner"

timeout 240 "$venv/bin/schemathesis" --config-file "$here/schemathesis.toml" run "$contract" \
  --url "$base" \
  --header "Authorization: Basic $(printf '%s:' "$key" | base64)" \
  --header "On-Behalf-Of: $user" \
  --max-examples 25 \
  --seed 20240601 \
  --no-color </dev/null

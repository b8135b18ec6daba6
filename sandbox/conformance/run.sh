#!/usr/bin/env bash
# Checks sprout-sandbox against each wire dialect's API description with an outside tool
# (schemathesis, pinned in requirements.txt): for each dialect, starts the built sandbox in it on a
# free loopback port, runs that description's operations against it with Basic auth, stops it, and
# fails on any finding.
#   seed:       ../shared/partner-api.openapi.yml  (schemathesis.toml)
#   greenhouse: greenhouse.openapi.yml, written from Greenhouse's published docs (greenhouse.schemathesis.toml)
set -euo pipefail
export CI=true PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1

root=$(git rev-parse --show-toplevel)
cd "$root"
here=sandbox/conformance
venv=target/conformance-venv
pinned=$(sed -n 's/^schemathesis==//p' "$here/requirements.txt")

# Install only when the pinned version is not already there.
if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -qF "version $pinned"; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet -r "$here/requirements.txt"
fi

cargo build --quiet -p sprout-sandbox
key=conformance-key
user=recruiter@sprout.test
sandbox=

stop_sandbox() {
  if [ -n "$sandbox" ]; then
    kill "$sandbox" 2>/dev/null || true
    wait "$sandbox" 2>/dev/null || true
    sandbox=
  fi
}
trap stop_sandbox EXIT

# check DIALECT DESCRIPTION CONFIG
check() {
  local dialect=$1 description=$2 config=$3 log=target/conformance-sandbox-$1.log port
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  echo "== $dialect dialect: $description"
  : >"$log"
  target/debug/sprout-sandbox --dialect "$dialect" --port "$port" --api-key "$key" --user "$user:admin" \
    --no-admin </dev/null >"$log" 2>&1 &
  sandbox=$!
  for _ in $(seq 50); do
    grep -q "Partner API base URL" "$log" && break
    sleep 0.1
  done
  timeout 240 "$venv/bin/schemathesis" --config-file "$config" run "$description" \
    --url "http://127.0.0.1:$port/v1/partner" \
    --header "Authorization: Basic $(printf '%s:' "$key" | base64)" \
    --header "On-Behalf-Of: $user" \
    --max-examples 25 \
    --seed 20240601 \
    --no-color </dev/null
  stop_sandbox
}

check seed "${SPROUT_SHARED:-$root/../shared}/partner-api.openapi.yml" "$here/schemathesis.toml"
check greenhouse "$here/greenhouse.openapi.yml" "$here/greenhouse.schemathesis.toml"

#!/usr/bin/env bash
# The one entry point: installs what is missing, builds both browsers' extensions, tests, demos.
#
#   ./build.sh          build dist/chrome, dist/firefox and their zips (plus dist/dev/* for loopback)
#   ./build.sh test     fmt, clippy, native tests, wasm build, conformance, e2e in Chromium and Firefox
#   ./build.sh demo     build, then run the capture demo in a real browser (screenshots under dist/)
#   ./build.sh e2e      build, then only the end-to-end tests
#   ./build.sh bench    build, then issue 13's benchmark table in both browsers (tests/e2e/bench.mjs)
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
EXT=$ROOT/extension
PKG=$ROOT/target/ext-pkg
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\033[1;32m==>\033[0m %s\n' "$*" >&2; }
die() { printf 'build.sh: %s\n' "$*" >&2; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# --- what is missing gets installed, and nothing more ------------------------------------------

APT_UPDATED=
apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing Debian packages: ${missing[*]}"
  if [ -z "$APT_UPDATED" ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Native builds and tests use the rustup toolchain when there is one, else Debian's.
ensure_host_rust() {
  if ! command -v cargo >/dev/null; then
    apt_install rustc-web cargo-web
  fi
  HOST_CARGO=$(command -v cargo)
}

# The wasm32 standard library: rustup's component where it can be had (quickly), else Debian's
# rustc-web with its std source and -Zbuild-std (rustup cannot reach its servers on some machines).
# SPROUT_WASM_STD=debian forces the fallback, to test it where rustup happens to work.
rustup_has_wasm() {
  command -v rustup >/dev/null || return 1
  rustup target list --installed 2>/dev/null | grep -q '^wasm32-unknown-unknown$' && return 0
  local marker=$ROOT/target/.rustup-wasm-unavailable
  [ -e "$marker" ] && return 1
  say "trying rustup target add wasm32-unknown-unknown (20 s at most)"
  timeout 20 rustup target add wasm32-unknown-unknown >/dev/null 2>&1 && return 0
  mkdir -p "$ROOT/target" && touch "$marker"
  return 1
}

ensure_wasm_toolchain() {
  WASM_ENV=()
  WASM_FLAGS=()
  if [ "${SPROUT_WASM_STD:-}" != debian ] && rustup_has_wasm; then
    WASM_CARGO=$HOST_CARGO
    WASM_TARGET_DIR=$ROOT/target/wasm
    return
  fi
  apt_install rustc-web cargo-web rust-web-src lld-22
  WASM_CARGO=/usr/bin/cargo
  # Its own target dir: the two compilers would otherwise invalidate each other's artifacts.
  WASM_TARGET_DIR=$ROOT/target/wasm-build-std
  WASM_ENV=(PATH="/usr/bin:$PATH" RUSTC_BOOTSTRAP=1 CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=/usr/lib/llvm-22/bin/wasm-ld)
  WASM_FLAGS=(-Zbuild-std=std,panic_abort)
}

# The background's, popup's and options page's wasm link a standard library rebuilt for size:
# std's optimize_for_size (its smaller sorts and formatting). The background's panics also trap at
# once (-Cpanic=immediate-abort) instead of formatting a message that nothing shows (it sets no panic
# hook, so on wasm32 the message went nowhere before either). The pages keep their panic messages:
# they install console_error_panic_hook, and the message in the console is what a developer debugs
# from. Measured, gzip -9: background 332,571 -> 298,668 B; popup 306,772 -> 297,613 B, options
# 178,341 -> 170,901 B (with immediate-abort too: 275,689 and 156,102 B, without the messages).
# The pages' second std (and the crates they share with the reader, built twice) adds about 37 s to
# a cold build on 2 cores. It needs std's source: Debian's rust-web-src, or rustup's rust-src where
# that can be had (quickly); without it these crates are built like the others, only bigger.
ensure_small_std() {
  BG_ENV=()
  BG_FLAGS=("${WASM_FLAGS[@]}")
  BG_TARGET_DIR=$WASM_TARGET_DIR
  UI_ENV=()
  UI_FLAGS=("${WASM_FLAGS[@]}")
  UI_TARGET_DIR=$WASM_TARGET_DIR
  if [ "$WASM_CARGO" = "$HOST_CARGO" ] && ! rustup component list --installed 2>/dev/null | grep -q '^rust-src'; then
    local marker=$ROOT/target/.rustup-src-unavailable
    [ -e "$marker" ] && return 0
    say "trying rustup component add rust-src (60 s at most)"
    if ! timeout 60 rustup component add rust-src >/dev/null 2>&1; then
      mkdir -p "$ROOT/target" && touch "$marker"
      return 0
    fi
  fi
  BG_ENV=(RUSTC_BOOTSTRAP=1 "RUSTFLAGS=-Zunstable-options -Cpanic=immediate-abort")
  BG_FLAGS=(-Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size)
  UI_ENV=(RUSTC_BOOTSTRAP=1)
  UI_FLAGS=("${BG_FLAGS[@]}")
  # Their own target dirs: their flags differ, and would otherwise rebuild each other's artifacts.
  BG_TARGET_DIR=$WASM_TARGET_DIR-small-std
  UI_TARGET_DIR=$WASM_TARGET_DIR-small-std-ui
}

# wasm-bindgen's CLI must be exactly the version of the crate in Cargo.lock.
ensure_wasm_bindgen() {
  local want
  want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
  [ -n "$want" ] || die "no wasm-bindgen in Cargo.lock"
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$want" ]; then
    say "installing wasm-bindgen-cli $want (a few minutes, once)"
    "$HOST_CARGO" install -q wasm-bindgen-cli --version "$want"
  fi
}

# leptosfmt formats what rustfmt cannot: the popup's view! bodies. Pinned, so every machine agrees.
LEPTOSFMT_VERSION=0.1.33
ensure_leptosfmt() {
  if [ "$(leptosfmt --version 2>/dev/null | awk '{print $2}')" != "$LEPTOSFMT_VERSION" ]; then
    say "installing leptosfmt $LEPTOSFMT_VERSION (a few minutes, once)"
    "$HOST_CARGO" install -q --locked leptosfmt --version "$LEPTOSFMT_VERSION"
  fi
}

# Node tools (wasm-opt from binaryen, web-ext, puppeteer-core, axe-core) come from the lock file.
ensure_npm_tools() {
  command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm
  if [ ! -e "$EXT/node_modules/.package-lock.json" ] || [ "$EXT/package-lock.json" -nt "$EXT/node_modules/.package-lock.json" ]; then
    say "installing npm packages from extension/package-lock.json"
    (cd "$EXT" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

ensure_browsers() {
  apt_install chromium firefox-esr fonts-dejavu-core
}

ensure_build_tools() {
  ensure_host_rust
  ensure_wasm_toolchain
  ensure_small_std
  ensure_wasm_bindgen
  ensure_npm_tools
}

# --- build ---------------------------------------------------------------------------------------

CRATES=(content background popup options extractor)

# The reader, the background and the popup's UI are built for size (the release profile): the
# reader only copies the page and is embedded in content.js, decoded on every read. The extractor,
# loaded by the popup beside its UI wasm, is built for speed (its own profile, release-extract;
# see Cargo.toml for the figures). wasm-opt -Oz for all: for the extractor it was as fast as -O3.
build_wasm() {
  say "building wasm"
  env "${WASM_ENV[@]}" CARGO_TARGET_DIR="$WASM_TARGET_DIR" "$WASM_CARGO" build --quiet --release \
    --target wasm32-unknown-unknown "${WASM_FLAGS[@]}" -psprout-content
  env "${WASM_ENV[@]}" "${UI_ENV[@]}" CARGO_TARGET_DIR="$UI_TARGET_DIR" "$WASM_CARGO" build --quiet --release \
    --target wasm32-unknown-unknown "${UI_FLAGS[@]}" -psprout-popup-wasm -psprout-options
  env "${WASM_ENV[@]}" "${BG_ENV[@]}" CARGO_TARGET_DIR="$BG_TARGET_DIR" "$WASM_CARGO" build --quiet --release \
    --target wasm32-unknown-unknown "${BG_FLAGS[@]}" -psprout-background
  env "${WASM_ENV[@]}" CARGO_TARGET_DIR="$WASM_TARGET_DIR" "$WASM_CARGO" build --quiet --profile release-extract \
    --target wasm32-unknown-unknown "${WASM_FLAGS[@]}" -psprout-extractor
  mkdir -p "$PKG"
  # The reader's glue and wasm as builds before it was embedded left them: never to ship in pkg/.
  rm -f "$PKG"/sprout_content.js "$PKG"/sprout_content_bg.wasm
  local wasm_opt=$EXT/node_modules/.bin/wasm-opt
  for c in "${CRATES[@]}"; do
    local profile=release
    [ "$c" = extractor ] && profile=release-extract
    # The popup's wasm is built by its thin cdylib, sprout-popup-wasm, and named as the page loads it.
    local crate=$c
    [ "$c" = popup ] && crate=popup_wasm
    local dir=$WASM_TARGET_DIR
    case $c in background) dir=$BG_TARGET_DIR ;; popup | options) dir=$UI_TARGET_DIR ;; esac
    local input=$dir/wasm32-unknown-unknown/$profile/sprout_$crate.wasm
    # The content reader is injected as one classic script, not loaded as a module from pkg/.
    local out_dir=$PKG target=web
    [ "$c" = content ] && out_dir=$PKG/content target=no-modules
    local output=$out_dir/sprout_${c}_bg.wasm
    [ "$output" -nt "$input" ] && continue
    wasm-bindgen --target "$target" --no-typescript --out-name "sprout_$c" --out-dir "$out_dir" "$input"
    # Rust's wasm32 target emits these post-MVP features; wasm-opt must be told it may keep them.
    # --converge repeats -Oz while it still shrinks; --low-memory-unused lets it fold constant
    # offsets into loads, true here: the stack sits below the data (from 1 MiB) and reaches the
    # lowest KiB only when it has all but overflowed. Measured: −6.9 KB popup, −4.0 KB background gzipped.
    "$wasm_opt" -Oz --converge --low-memory-unused --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
      --enable-mutable-globals --enable-reference-types --enable-multivalue "$output" -o "$output.opt"
    mv "$output.opt" "$output"
  done
  # Its wasm embedded: the page never gets an extension URL to fetch (nothing is web-accessible).
  node "$EXT/content/embed.mjs" "$PKG/content/sprout_content.js" "$PKG/content/sprout_content_bg.wasm" "$PKG/content/content.js"
}

# One unpacked build: static files, the wasm glue and a manifest derived for the browser.
assemble() {
  local browser=$1 flavour=$2 out=$3
  rm -rf "$out" && mkdir -p "$out/pkg"
  cp -R "$EXT/static/." "$out/"
  cp "$PKG"/*.js "$PKG"/*.wasm "$out/pkg/"
  cp "$PKG/content/content.js" "$out/content.js"
  node "$EXT/manifest.mjs" "$ROOT/manifest.json" "$browser" "$flavour" >"$out/manifest.json"
}

package_zip() {
  local dir=$1 zip=$2
  rm -f "$zip"
  (cd "$dir" && python3 -m zipfile -c "$zip" ./*)
}

size_table() {
  printf '\n%-28s %10s %10s\n' "wasm" "raw (B)" "gzip (B)"
  for f in "$PKG"/*.wasm "$PKG"/content/*.wasm "$PKG/content/content.js"; do
    printf '%-28s %10d %10d\n' "$(basename "$f")" "$(wc -c <"$f")" "$(gzip -9c "$f" | wc -c)"
  done
  echo
}

build() {
  ensure_build_tools
  make_dist
}

make_dist() {
  build_wasm
  say "assembling dist/"
  for browser in chrome firefox; do
    assemble "$browser" release "$ROOT/dist/$browser"
    assemble "$browser" dev "$ROOT/dist/dev/$browser"
    assemble "$browser" store "$ROOT/target/store/$browser"
    package_zip "$ROOT/target/store/$browser" "$ROOT/dist/sprout-$browser.zip"
  done
  check_store_packages
  size_table
  say "built dist/chrome, dist/firefox, dist/sprout-chrome.zip, dist/sprout-firefox.zip (loopback builds in dist/dev/)"
}

# --- checks ----------------------------------------------------------------------------------------

# The Chrome Web Store refuses a package whose manifest has `key`; the unpacked build keeps it (its
# id, and so its OAuth redirect URL, stays fixed). Both zips must also still refuse incognito.
check_store_packages() {
  python3 - "$ROOT/dist" <<'PY'
import json, sys, zipfile
dist = sys.argv[1]
unpacked = json.load(open(f"{dist}/chrome/manifest.json"))
assert "key" in unpacked, "dist/chrome/manifest.json lost its key"
for browser in ("chrome", "firefox"):
    with zipfile.ZipFile(f"{dist}/sprout-{browser}.zip") as z:
        packaged = json.loads(z.read("manifest.json"))
    assert "key" not in packaged, f"sprout-{browser}.zip: the store refuses a manifest with key"
    assert packaged.get("incognito") == "not_allowed", f"sprout-{browser}.zip: incognito"
PY
}

native_checks() {
  say "cargo fmt --check"
  "$HOST_CARGO" fmt --all --check
  say "leptosfmt --check (view! bodies)"
  leptosfmt --quiet --check extension/popup/src
  say "cargo clippy -D warnings"
  "$HOST_CARGO" clippy --quiet --workspace --all-targets -- -D warnings
  say "cargo test (native)"
  "$HOST_CARGO" test --workspace
}

e2e() {
  ensure_browsers
  say "end-to-end tests in Chromium and Firefox ESR"
  rm -rf "$ROOT/tests/e2e/artifacts"
  (cd "$ROOT" && node --test --test-concurrency=1 tests/e2e/)
}

run_tests() {
  ensure_build_tools
  ensure_leptosfmt
  native_checks
  make_dist
  say "web-ext lint of the Firefox build (errors fail; warnings are listed in the README)"
  "$EXT/node_modules/.bin/web-ext" lint --source-dir "$ROOT/dist/firefox" --warnings-as-errors=false --output=text
  say "Partner API conformance (schemathesis against sprout-sandbox)"
  apt_install python3-venv
  bash sandbox/conformance/run.sh
  e2e
}

demo() {
  build
  ensure_browsers
  say "demo in Chromium"
  node tests/e2e/demo.mjs
}

case "${1:-build}" in
  build) build ;;
  test) run_tests ;;
  demo) demo ;;
  e2e) build && e2e ;;
  bench) build >&2 && ensure_browsers && node tests/e2e/bench.mjs ;;
  *) die "unknown command '$1' (use: build, test, demo, e2e, bench)" ;;
esac

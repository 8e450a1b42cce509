#!/usr/bin/env bash
# Times a first `make run` on a fresh clone: from the clone to the dashboard answering,
# once with an empty package cache and once with the cache that run filled (warm).
# Usage: bench/first_run.sh [PORT]   (prints the two figures; cleans up after itself)
set -euo pipefail
cd "$(dirname "$0")/.."
port=${1:-8765}
work=$(mktemp -d /tmp/ct-first-run.XXXXXX)
cache="$work/uv-cache"
trap 'rm -rf "$work"' EXIT

time_first_run() { # label
  local slug=${1// /-}
  local clone="$work/clone-$slug" start end
  git clone --quiet . "$clone"
  start=$(date +%s.%N)
  (cd "$clone" && UV_CACHE_DIR="$cache" PIP_NO_CACHE_DIR=1 make run PORT="$port" >"$work/$slug.log" 2>&1) &
  local make_pid=$!
  until curl -fsS -o /dev/null "http://127.0.0.1:$port/dashboard/" 2>/dev/null; do
    if ! kill -0 "$make_pid" 2>/dev/null; then
      echo "make run ($1) stopped before serving; its log:" >&2
      cat "$work/$slug.log" >&2
      exit 1
    fi
    sleep 0.2
  done
  end=$(date +%s.%N)
  printf '%-26s %6.1f s\n' "first make run, $1:" "$(echo "$end - $start" | bc)"
  pkill -f "runserver 127.0.0.1:$port" || true
  wait "$make_pid" 2>/dev/null || true
  (cd "$clone" && .venv/bin/python manage.py db stop >/dev/null)
}

time_first_run "empty cache"
time_first_run "warm cache"

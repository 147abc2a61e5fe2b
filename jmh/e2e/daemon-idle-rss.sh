#!/usr/bin/env bash
# How much memory the daemon keeps while it waits for its next run.
#
#   jmh/e2e/daemon-idle-rss.sh TREE WORKDIR [EXTRA_JAVA_OPTS]
#
# Starts `cairn daemon` with one backup job over TREE (a fresh local repository under WORKDIR), asks for one run with
# POST /jobs/NAME/run, and prints the process's peak RSS, its RSS when the run has ended and 5 s later. Compare two
# settings by running it twice, e.g. with "-XX:-UseAdaptiveSizePolicyWithSystemGC" as EXTRA_JAVA_OPTS.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tree="$(cd "${1:?tree to back up}" && pwd)"
work="$(mkdir -p "${2:?work directory}" && cd "$2" && pwd)/idle-rss"
rm -rf "$work"; mkdir -p "$work"
export CAIRN_PASSWORD=bench
"$here/bin/cairn" --repo "$work/repo" --cache-dir "$work/cache" init > /dev/null
echo "$CAIRN_PASSWORD" > "$work/pass"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat > "$work/daemon.yaml" <<YAML
repository: $work/repo
password-file: $work/pass
cache-dir: $work/cache
http: {address: 127.0.0.1, port: $port, run-requests: true}
jobs:
  - {name: idle, type: backup, schedule: "0 0 1 1 *", sources: [$tree]}
YAML
CAIRN_JAVA_OPTS="-Xmx1g ${3:-}" "$here/bin/cairn" daemon --config "$work/daemon.yaml" > "$work/daemon.log" 2>&1 &
launcher=$!
trap 'kill -TERM $launcher 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" > /dev/null && break; sleep 0.2; done
curl -sf -X POST "http://127.0.0.1:$port/jobs/idle/run" > /dev/null
until curl -sf "http://127.0.0.1:$port/status" | grep -q '"status" : "ok"'; do sleep 0.2; done
rss() { awk -v k="$1" '$1 == k ":" {print int($2 / 1024)}' "/proc/$launcher/status"; }
ended=$(rss VmRSS); peak=$(rss VmHWM)
sleep 5
echo "peak $peak MiB; when the run ended $ended MiB; 5 s later $(rss VmRSS) MiB"

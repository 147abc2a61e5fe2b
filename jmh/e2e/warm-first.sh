#!/usr/bin/env bash
# A first backup in a JVM that has already done one, side by side with restic's first backup of the same tree.
#
#   jmh/e2e/warm-first.sh TREE WORKDIR [RUNS]      (default 4 runs; root, to drop the page cache)
#
# One JVM (dev.cairn.jmh.WarmFirstBackups) backs TREE up RUNS times, each time into a new repository; before each of
# its runs restic backs the same tree up into a new repository, so the tools alternate, and the page cache is dropped
# before every run. cairn's first run is a fresh process's first backup less the JVM's start; the later ones are a
# JVM whose compilers have done their work, as a daemon's after its first. Compare each cairn run with the restic run
# printed just before it. Builds jmh/target/benchmarks.jar when missing; needs restic and time (apt-get install -y
# restic time).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tree="$(cd "${1:?tree to back up}" && pwd)"
work="$(mkdir -p "${2:?work directory}" && cd "$2" && pwd)/warm-first"
runs="${3:-4}"
for need in restic:restic /usr/bin/time:time; do
  command -v "${need%%:*}" > /dev/null || { echo "warm-first.sh: ${need%%:*} is missing (apt-get install -y ${need#*:})" >&2; exit 1; }
done
if [ ! -f "$here/jmh/target/benchmarks.jar" ]; then
  (cd "$here" && mvn -B -q -ntp -DskipTests -pl jmh -am package >&2)
fi
rm -rf "$work"; mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
export RESTIC_PASSWORD=bench RESTIC_CACHE_DIR="$work/restic-cache"
restic_first="rm -rf '$work/restic' '$work/restic-cache' && restic --repo '$work/restic' init > /dev/null 2>&1 \
  && sync && { [ -w /proc/sys/vm/drop_caches ] && echo 3 > /proc/sys/vm/drop_caches || true; } \
  && /usr/bin/time -f 'restic: wall %e s, cpu %U + %S s' restic --repo '$work/restic' backup '$tree' > /dev/null"
# The launcher's (bin/cairn) heap and collector settings.
java -Xms32m -Xmx1g -XX:+UseParallelGC -XX:MaxNewSize=64m -XX:FreqInlineSize=60 -Djdk.nio.maxCachedBufferSize=262144 \
  --add-opens java.base/sun.nio.fs=ALL-UNNAMED -cp "$here/jmh/target/benchmarks.jar" \
  dev.cairn.jmh.WarmFirstBackups "$tree" "$work" "$runs" "$restic_first" 2>&1

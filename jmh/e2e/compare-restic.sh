#!/usr/bin/env bash
# Side-by-side backup and restore comparison of cairn and restic on one machine, in one run.
#
#   jmh/e2e/compare-restic.sh linux  WORKDIR   first + no-change backup and restore of a Linux source tree
#   jmh/e2e/compare-restic.sh small  WORKDIR   first + no-change backup and restore of 1,000,000 small files
#
# Installs restic (Debian package) and, for `linux`, downloads linux-source-6.1 when missing. The JVM heap is
# capped at 1 GiB. Prints one markdown row per run: wall seconds, CPU seconds, peak RSS, repository size.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
workload="${1:?workload: linux or small}"
work="$(mkdir -p "${2:?work directory}" && cd "$2" && pwd)"
command -v restic >/dev/null || { apt-get update -qq; apt-get install -y -qq restic; }
[ -x /usr/bin/time ] || { apt-get update -qq; apt-get install -y -qq time; }
export CAIRN_JAVA_OPTS="-Xmx1g"
export CAIRN_PASSWORD=bench RESTIC_PASSWORD=bench
export CAIRN_CACHE_DIR="$work/cairn-cache" RESTIC_CACHE_DIR="$work/restic-cache"

case "$workload" in
  linux)
    tree="$work/linux"
    if [ ! -d "$tree" ]; then
      (cd "$work" && apt-get download linux-source-6.1 && dpkg-deb -x linux-source-6.1_*_all.deb deb)
      mkdir -p "$tree" && tar -xaf "$work"/deb/usr/src/linux-source-6.1.tar.xz -C "$tree"
    fi ;;
  small)
    tree="$work/small"
    if [ ! -d "$tree" ]; then
      # 1,000 directories of 1,000 files of 1 to 200 bytes.
      python3 - "$tree" <<'PY'
import os, sys, random
root = sys.argv[1]; random.seed(1)
for d in range(1000):
    p = os.path.join(root, "d%04d" % d); os.makedirs(p)
    for f in range(1000):
        with open(os.path.join(p, "f%04d" % f), "wb") as fh:
            fh.write(os.urandom(random.randint(1, 200)))
PY
    fi ;;
  *) echo "unknown workload $workload" >&2; exit 2 ;;
esac

drop_caches() { sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true; }

measure() { # label, command...
  local label="$1"; shift
  drop_caches
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$@" > "$work/$label.log" 2>&1 || {
    echo "$label failed:"; tail -5 "$work/$label.log"; return 1; }
  read -r wall user sys rss < "$work/time.txt"
  printf "| %s | %.1f | %.1f | %d MiB |\n" "$label" "$wall" "$(echo "$user + $sys" | bc)" $((rss / 1024))
}

rm -rf "$work/cairn-repo" "$work/restic-repo" "$work/cairn-cache" "$work/restic-cache"
"$here/bin/cairn" --repo "$work/cairn-repo" init --compression auto > /dev/null
restic --repo "$work/restic-repo" init > /dev/null 2>&1

echo "| run | wall s | CPU s | peak RSS |"
echo "|---|---|---|---|"
measure "cairn first backup" "$here/bin/cairn" --repo "$work/cairn-repo" backup "$tree"
measure "restic first backup" restic --repo "$work/restic-repo" backup "$tree"
measure "cairn no-change backup" "$here/bin/cairn" --repo "$work/cairn-repo" backup "$tree"
measure "restic no-change backup" restic --repo "$work/restic-repo" backup "$tree"
measure "find -printf" find "$tree" -printf '%s %T@ %C@ %i\n'
rm -rf "$work/cairn-restore" "$work/restic-restore"
measure "cairn restore" "$here/bin/cairn" --repo "$work/cairn-repo" restore latest --target "$work/cairn-restore"
measure "restic restore" restic --repo "$work/restic-repo" restore latest --target "$work/restic-restore"
diff -r "$tree" "$work/cairn-restore/$(basename "$tree")" > /dev/null || { echo "cairn's restore differs from the tree"; exit 1; }
rm -rf "$work/cairn-restore" "$work/restic-restore"
echo
echo "repository size: cairn $(du -sm "$work/cairn-repo" | cut -f1) MiB, restic $(du -sm "$work/restic-repo" | cut -f1) MiB"

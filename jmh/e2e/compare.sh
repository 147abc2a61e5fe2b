#!/usr/bin/env bash
# cairn side by side with restic and Borg, on the same workloads, in one run (issue: the performance harness).
#
#   jmh/e2e/compare.sh WORKLOAD WORKDIR      WORKLOAD: kernel | kernel-touched | small | bigfile | all
#
#   kernel          four successive Debian linux-source-6.1 trees synced in turn into one directory, rewriting only
#                   files whose content changed: first backup, three incremental backups, a no-change backup,
#                   repository size, restore of the last snapshot (each tool's to a new ext4 filesystem,
#                   loop-mounted)
#   kernel-touched  the same series, but every file's mtime changes with each version (a re-extracted tree)
#   small           1,000,000 files of 1-200 bytes: first backup, no-change backup, and find -printf for scale
#   bigfile         one file of BIGFILE_GB (default 2) GiB, then 20 scattered 4 KiB edits: first backup, second
#                   backup, repository growth
#
# Besides the command line, each backup step also runs in a cairn daemon started once per workload (the way the
# container runs scheduled jobs): the step is asked for with POST /jobs/bench/run and timed from the daemon's /status
# (start to end of the run, which includes the repository-size listing the daemon does after a backup at most
# hourly: the first step), CPU from /proc, peak RSS from VmHWM reset before each step. The first step runs in a
# fresh JVM; later ones in a JVM that has run before.
#
# Installs restic, borgbackup, rsync and time when missing; downloads the kernel sources with apt-get download.
# Every run: page cache dropped first, tools alternating (cairn, restic, borg) on the same tree state, JVM heap
# capped at 1 GiB, restic and Borg at their default zstd-style compression (restic auto, borg zstd,3), cairn
# auto. Prints markdown tables: wall seconds, CPU seconds, peak RSS, and cairn's wall-time ratio to each peer.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
workload="${1:?workload: kernel, kernel-touched, small, bigfile or all}"
work="$(mkdir -p "${2:?work directory}" && cd "$2" && pwd)"
need=()
command -v restic >/dev/null || need+=(restic)
command -v borg >/dev/null || need+=(borgbackup)
command -v rsync >/dev/null || need+=(rsync)
command -v curl >/dev/null || need+=(curl)
[ -x /usr/bin/time ] || need+=(time)
command -v mkfs.ext4 >/dev/null || need+=(e2fsprogs)
if [ ${#need[@]} -gt 0 ]; then apt-get update -qq; apt-get install -y -qq "${need[@]}" > /dev/null; fi

export CAIRN_JAVA_OPTS="-Xmx1g" CAIRN_PASSWORD=bench RESTIC_PASSWORD=bench BORG_PASSPHRASE=bench
export BORG_RELOCATED_REPO_ACCESS_IS_OK=yes BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK=yes

drop_caches() { sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true; }

# run TOOL STEP: one measured run; leaves "wall cpu rss_mib" in $work/results/TOOL.STEP
measure() {
  local tool="$1" step="$2"; shift 2
  drop_caches
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$@" > "$work/logs/$tool.$step.log" 2>&1 || {
    echo "$tool $step failed:" >&2; tail -5 "$work/logs/$tool.$step.log" >&2; exit 1; }
  read -r wall user sys rss < "$work/time.txt"
  echo "$wall $(echo "$user + $sys" | bc) $((rss / 1024))" > "$work/results/$tool.$step"
}

backup() { # TOOL STEP TREE
  local tool="$1" step="$2" tree="$3"
  case "$tool" in
    cairn) measure cairn "$step" "$here/bin/cairn" --repo "$work/repos/cairn" --cache-dir "$work/caches/cairn" \
             backup "$tree" ;;
    restic) measure restic "$step" env RESTIC_CACHE_DIR="$work/caches/restic" restic --repo "$work/repos/restic" \
             backup "$tree" ;;
    borg) measure borg "$step" env BORG_CACHE_DIR="$work/caches/borg" BORG_BASE_DIR="$work/caches/borg-base" \
             borg create --compression zstd,3 "$work/repos/borg::$step" "$tree" ;;
  esac
}

# Each restore goes to a new, empty ext4 filesystem (an image under WORKDIR, loop-mounted). ext4 passes over inodes
# freed in the last minutes when it allocates new ones (its recently_deleted check): a restore started right after
# another tool's restored tree was removed spent a quarter of its CPU samples there, and the tool restoring first
# never paid it. A fresh filesystem gives every tool the same start. Where no loop device can be mounted (not root,
# none configured), restores go to a directory of WORKDIR as before, and the script says so.
fresh_fs() { # DIR: mounts a new ext4 filesystem on DIR; fails when it cannot
  local img="$work/restore.img"
  rm -f "$img"
  truncate -s 4G "$img" && mkfs.ext4 -q -F -E lazy_itable_init=0,lazy_journal_init=0 "$img" >/dev/null 2>&1 \
    && mount -o loop "$img" "$1" 2>/dev/null || { rm -f "$img"; return 1; }
}

restore() { # TOOL STEP
  local tool="$1" step="$2" target="$work/restore-$1" mounted=0
  rm -rf "$target"; mkdir -p "$target"
  if fresh_fs "$target"; then mounted=1; else echo "restore to a directory of $work (no loop mount)" >&2; fi
  case "$tool" in
    cairn) measure cairn "$step" "$here/bin/cairn" --repo "$work/repos/cairn" --cache-dir "$work/caches/cairn" \
             restore latest --target "$target" ;;
    restic) measure restic "$step" env RESTIC_CACHE_DIR="$work/caches/restic" restic --repo "$work/repos/restic" \
             restore latest --target "$target" ;;
    borg) local last; last=$(BORG_CACHE_DIR="$work/caches/borg" borg list --short "$work/repos/borg" | tail -n 1)
          (cd "$target" && measure borg "$step" env BORG_CACHE_DIR="$work/caches/borg" \
             borg extract "$work/repos/borg::$last") ;;
  esac
  if [ "$mounted" = 1 ]; then umount "$target"; rm -f "$work/restore.img"; fi
  rm -rf "$target"
}

# The daemon (cairn's scheduled mode) over TREE, with one job that only runs when asked for.
daemon_start() { # TREE
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "$here/bin/cairn" --repo "$work/repos/cairn-daemon" --cache-dir "$work/caches/cairn-daemon" init --compression auto \
    > /dev/null
  echo "$CAIRN_PASSWORD" > "$work/daemon.pass"
  cat > "$work/daemon.yaml" <<YAML
repository: $work/repos/cairn-daemon
password-file: $work/daemon.pass
cache-dir: $work/caches/cairn-daemon
http: {address: 127.0.0.1, port: $port, run-requests: true}
jobs:
  - {name: bench, type: backup, schedule: "0 0 1 1 *", sources: [$1]}
YAML
  "$here/bin/cairn" daemon --config "$work/daemon.yaml" > "$work/logs/daemon.log" 2>&1 &
  daemon_pid=$!
  daemon_url="http://127.0.0.1:$port"
  for _ in $(seq 100); do curl -sf "$daemon_url/healthz" > /dev/null && return 0; sleep 0.2; done
  echo "the daemon did not start:" >&2; tail -5 "$work/logs/daemon.log" >&2; exit 1
}

daemon_stop() { kill -TERM "$daemon_pid" 2>/dev/null || true; wait "$daemon_pid" 2>/dev/null || true; }

# The job's last run, as the daemon's /status reports it (its JSON text, blanks dropped: cheap enough to poll).
daemon_last_raw() { curl -sf "$daemon_url/status" | tr -d ' \n' | grep -o '"last_run":{[^}]*}' || echo none; }

# The job's last run as "END WALL_SECONDS STATUS", or "none".
daemon_last() {
  curl -sf "$daemon_url/status" | python3 -c '
import json, sys, datetime
j = json.load(sys.stdin)["jobs"][0].get("last_run")
if not j: print("none"); sys.exit()
t = lambda s: datetime.datetime.fromisoformat(s.rstrip("Z")[:26])
print(j["end"], (t(j["end"]) - t(j["start"])).total_seconds(), j["status"])'
}

daemon_backup() { # STEP
  local step="$1" before ticks0 ticks1 last hz
  hz=$(getconf CLK_TCK)
  drop_caches
  before=$(daemon_last_raw)
  echo 5 > "/proc/$daemon_pid/clear_refs"
  ticks0=$(awk '{print $14 + $15}' "/proc/$daemon_pid/stat")
  curl -sf -X POST "$daemon_url/jobs/bench/run" > /dev/null
  # Polled without Python: a Python interpreter started ten times a second took two thirds of a core from the run
  # being measured (22 ms a poll this way, 210 ms with Python). The wall time is the daemon's own, start to end, so
  # the poll's period adds nothing to it.
  while [ "$(daemon_last_raw)" = "$before" ]; do sleep 0.5; done
  last=$(daemon_last)
  ticks1=$(awk '{print $14 + $15}' "/proc/$daemon_pid/stat")
  set -- $last
  [ "$3" = ok ] || { echo "cairn-daemon $step: run ended $3" >&2; tail -5 "$work/logs/daemon.log" >&2; exit 1; }
  echo "$2 $(echo "($ticks1 - $ticks0) / $hz" | bc -l) $(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$daemon_pid/status")" \
    > "$work/results/cairn-daemon.$step"
}

init_repos() {
  rm -rf "$work/repos" "$work/caches" "$work/results" "$work/logs"
  mkdir -p "$work/repos" "$work/caches" "$work/results" "$work/logs"
  "$here/bin/cairn" --repo "$work/repos/cairn" --cache-dir "$work/caches/cairn" init --compression auto > /dev/null
  restic --repo "$work/repos/restic" init > /dev/null 2>&1
  BORG_CACHE_DIR="$work/caches/borg" borg init --encryption repokey-blake2 "$work/repos/borg" > /dev/null 2>&1
}

# table TITLE STEP...: one markdown table of the steps measured, with cairn's ratios
table() {
  local title="$1"; shift
  echo; echo "**$title**"; echo
  echo "| step | cairn (wall s / CPU s / RSS MiB) | restic | borg | cairn vs restic | cairn vs borg | cairn daemon | daemon vs restic |"
  echo "|---|---|---|---|---|---|---|---|"
  for step in "$@"; do
    local c r b d dcell="" dratio=""
    c=$(cat "$work/results/cairn.$step"); r=$(cat "$work/results/restic.$step"); b=$(cat "$work/results/borg.$step")
    if [ -f "$work/results/cairn-daemon.$step" ]; then
      d=$(cat "$work/results/cairn-daemon.$step"); dcell=$(cell "$d")
      dratio=$(printf "%.2fx" "$(echo "$(first "$r") / $(first "$d")" | bc -l)")
    fi
    printf "| %s | %s | %s | %s | %.2fx | %.2fx | %s | %s |\n" "$step" "$(cell "$c")" "$(cell "$r")" "$(cell "$b")" \
      "$(echo "$(first "$r") / $(first "$c")" | bc -l)" "$(echo "$(first "$b") / $(first "$c")" | bc -l)" \
      "$dcell" "$dratio"
  done
  local daemon_repo=""
  [ -d "$work/repos/cairn-daemon" ] && daemon_repo="$(du -sm "$work/repos/cairn-daemon" | cut -f1) MiB"
  echo "| repository size | $(du -sm "$work/repos/cairn" | cut -f1) MiB | $(du -sm "$work/repos/restic" | cut -f1) MiB |" \
       "$(du -sm "$work/repos/borg" | cut -f1) MiB | | | $daemon_repo | |"
}
cell() { set -- $1; printf "%.1f / %.1f / %d" "$1" "$2" "$3"; }
first() { set -- $1; echo "$1"; }

kernel_sources() { # the four newest linux-source-6.1 versions, unpacked once under $work/kernels/VERSION
  mkdir -p "$work/kernels"
  apt-get update -qq >&2
  local versions
  versions=$(apt-cache madison linux-source-6.1 | awk '{print $3}' | sort -V -u | tail -n 4)
  for v in $versions; do
    if [ ! -d "$work/kernels/$v" ]; then
      (cd "$work/kernels" && apt-get download -qq "linux-source-6.1=$v" && mkdir -p "deb-$v" \
        && dpkg-deb -x linux-source-6.1_"${v}"_all.deb "deb-$v" && mkdir -p "$v" \
        && tar -xaf "deb-$v"/usr/src/linux-source-6.1.tar.xz -C "$v" && rm -rf "deb-$v" linux-source-6.1_*.deb) >&2
    fi
  done
  echo "$versions"
}

series() { # NAME RSYNC-FLAGS
  local name="$1" flags="$2" tree="$work/tree" i=0 steps=()
  local versions; versions=$(kernel_sources)
  init_repos
  rm -rf "$tree"; mkdir -p "$tree"
  daemon_start "$tree"
  for v in $versions; do
    i=$((i + 1))
    # shellcheck disable=SC2086
    rsync $flags --delete "$work/kernels/$v/" "$tree/"
    local step; [ "$i" = 1 ] && step="first backup ($v)" || step="incremental $((i - 1)) ($v)"
    step="${step// /_}"
    for tool in cairn restic borg; do backup "$tool" "$step" "$tree"; done
    daemon_backup "$step"
    steps+=("$step")
  done
  for tool in cairn restic borg; do backup "$tool" no-change "$tree"; done
  daemon_backup no-change
  daemon_stop
  for tool in cairn restic borg; do restore "$tool" restore; done
  table "$name: Linux 6.1 sources, versions $(echo $versions | tr '\n' ' ')" "${steps[@]}" no-change restore
}

small() {
  local tree="$work/small"
  [ -d "$tree" ] || python3 - "$tree" <<'PY'
import os, sys, random
root = sys.argv[1]; random.seed(1)
for d in range(1000):
    p = os.path.join(root, "d%04d" % d); os.makedirs(p)
    for f in range(1000):
        with open(os.path.join(p, "f%04d" % f), "wb") as fh:
            fh.write(os.urandom(random.randint(1, 200)))
PY
  init_repos
  daemon_start "$tree"
  for tool in cairn restic borg; do backup "$tool" first "$tree"; done
  daemon_backup first
  for tool in cairn restic borg; do backup "$tool" no-change "$tree"; done
  daemon_backup no-change
  daemon_stop
  drop_caches
  /usr/bin/time -f "%e" -o "$work/time.txt" find "$tree" -printf '%s %T@ %C@ %i\n' > /dev/null
  table "small: 1,000,000 files of 1-200 bytes (find -printf: $(cat "$work/time.txt") s)" first no-change
}

bigfile() {
  local tree="$work/big" gb="${BIGFILE_GB:-2}"
  rm -rf "$tree"; mkdir -p "$tree"
  head -c "$((gb * 1024 * 1024 * 1024))" /dev/urandom > "$tree/disk.img"
  init_repos
  for tool in cairn restic borg; do backup "$tool" first "$tree"; done
  local before; before=$(for t in cairn restic borg; do du -sm "$work/repos/$t" | cut -f1; done | paste -sd/)
  for i in $(seq 20); do
    dd if=/dev/urandom of="$tree/disk.img" bs=4096 count=1 seek=$(( (RANDOM * 32768 + RANDOM) % (gb * 262144) )) \
      conv=notrunc status=none
  done
  for tool in cairn restic borg; do backup "$tool" after-20-edits "$tree"; done
  table "bigfile: one ${gb} GiB file, 20 scattered 4 KiB edits (repository MiB after the first backup, cairn/restic/borg: $before)" \
    first after-20-edits
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(restic version | cut -d' ' -f1-2); $(borg --version)"
case "$workload" in
  kernel) series kernel "-rlc" ;;
  kernel-touched) series kernel-touched "-a" ;;
  small) small ;;
  bigfile) bigfile ;;
  all) series kernel "-rlc"; series kernel-touched "-a"; small; bigfile ;;
  *) echo "unknown workload $workload" >&2; exit 2 ;;
esac

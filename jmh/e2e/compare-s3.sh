#!/usr/bin/env bash
# Side-by-side backup of one tree to S3 by cairn and restic, against the same S3 server (S3Proxy, filesystem
# backend, on loopback), in one run:
#
#   jmh/e2e/compare-s3.sh WORKDIR [TREE]     (TREE defaults to the Linux source tree that compare-restic.sh unpacks)
#
# Fetches the standalone S3Proxy jar with Maven and installs restic and curl when missing. Prints, for each tool:
# wall time, upload throughput (bytes stored in the bucket / wall time), requests by S3 operation as the server
# counted them, and PUT requests (PutObject + UploadPart + CreateMultipartUpload + CompleteMultipartUpload) per GiB
# stored.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mkdir -p "${1:?work directory}" && cd "$1" && pwd)"
tree="${2:-$work/linux}"
[ -d "$tree" ] || { echo "no tree at $tree (run compare-restic.sh linux $work first, or pass one)" >&2; exit 2; }
command -v restic >/dev/null || { apt-get update -qq; apt-get install -y -qq restic; }
command -v curl >/dev/null || { apt-get update -qq; apt-get install -y -qq curl; }
[ -x /usr/bin/time ] || { apt-get update -qq; apt-get install -y -qq time; }
jar="$work/s3proxy/s3proxy-4.1.0-jar-with-dependencies.jar"
[ -f "$jar" ] || mvn -B -q dependency:copy -Dartifact=org.gaul:s3proxy:4.1.0:jar:jar-with-dependencies \
    -DoutputDirectory="$work/s3proxy"

port=18080; metrics=18081
data="$work/s3data"; rm -rf "$data"; mkdir -p "$data"
cat > "$work/s3proxy/s3proxy.properties" <<PROPS
s3proxy.endpoint=http://127.0.0.1:$port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=bench
s3proxy.credential=benchsecret
jclouds.provider=filesystem-nio2
jclouds.filesystem.basedir=$data
s3proxy.metrics.enabled=true
s3proxy.metrics.port=$metrics
s3proxy.metrics.host=127.0.0.1
PROPS
java -jar "$jar" --properties "$work/s3proxy/s3proxy.properties" > "$work/s3proxy/log.txt" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2; done

export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=benchsecret AWS_REGION=us-east-1
export CAIRN_PASSWORD=bench RESTIC_PASSWORD=bench CAIRN_JAVA_OPTS="-Xmx1g"
export CAIRN_CACHE_DIR="$work/cairn-s3-cache" RESTIC_CACHE_DIR="$work/restic-s3-cache"
rm -rf "$CAIRN_CACHE_DIR" "$RESTIC_CACHE_DIR"
curl -s --aws-sigv4 "aws:amz:us-east-1:s3" --user bench:benchsecret -X PUT "http://127.0.0.1:$port/cairn" \
  -H "x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" > /dev/null

counts() { # operation=count, summed over status codes
  curl -s "http://127.0.0.1:$metrics/metrics" | grep '^http_server_request_duration_seconds_count' \
    | sed -E 's/.*s3_operation="([A-Za-z0-9]+)".*\} ([0-9]+)/\1 \2/' \
    | awk '{c[$1]+=$2} END {for (k in c) print k, c[k]}' | sort
}

run() { # label, bucket, command...
  local label="$1" bucket="$2"; shift 2
  counts > "$work/before.txt"
  sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
  /usr/bin/time -f "%e" -o "$work/time.txt" "$@" > "$work/$label.log" 2>&1 || { echo "$label failed:"; tail -5 "$work/$label.log"; exit 1; }
  counts > "$work/after.txt"
  local wall stored ops puts
  wall=$(cat "$work/time.txt")
  stored=$(du -sb "$data/$bucket" | cut -f1)
  ops=$(join -a2 -e0 -o 2.1,1.2,2.2 "$work/before.txt" "$work/after.txt" | awk '$3-$2>0 {printf "%s %d, ", $1, $3-$2}')
  puts=$(join -a2 -e0 -o 2.1,1.2,2.2 "$work/before.txt" "$work/after.txt" \
    | awk '$1 ~ /^(PutObject|UploadPart|CreateMultipartUpload|CompleteMultipartUpload)$/ {s+=$3-$2} END {print s+0}')
  printf "| %s | %.1f s | %.0f MB/s | %d MiB | %d | %.0f | %s |\n" "$label" "$wall" \
    "$(echo "$stored / 1000000 / $wall" | bc -l)" $((stored / 1048576)) "$puts" \
    "$(echo "$puts / ($stored / 1073741824)" | bc -l)" "${ops%, }"
}

s3="--s3-endpoint http://127.0.0.1:$port --s3-path-style"
"$here/bin/cairn" --repo s3://cairn/repo $s3 init --compression auto > /dev/null
restic --repo "s3:http://127.0.0.1:$port/restic" init > /dev/null

echo "| run | wall | upload | stored | PUTs | PUTs per GiB | requests by operation |"
echo "|---|---|---|---|---|---|---|"
run "cairn first backup" cairn "$here/bin/cairn" --repo s3://cairn/repo $s3 backup "$tree"
run "restic first backup" restic restic --repo "s3:http://127.0.0.1:$port/restic" backup "$tree"
run "cairn no-change backup" cairn "$here/bin/cairn" --repo s3://cairn/repo $s3 backup "$tree"
run "restic no-change backup" restic restic --repo "s3:http://127.0.0.1:$port/restic" backup "$tree"

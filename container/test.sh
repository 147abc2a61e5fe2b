#!/usr/bin/env bash
# Builds the cairn image from container/Dockerfile and runs it as a storage node would: a read-only data volume,
# an S3 server on the host (S3Proxy), a scheduled backup that shows up in /metrics, SIGTERM, and a restore of the
# snapshot with the command line outside the container, compared with the data byte for byte.
#
# There is no Docker engine here: podman runs the image, with the runc runtime, and the base image is made from
# Debian packages with debootstrap (no image registry is reachable). Needs root. Run from anywhere:
#   bash container/test.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${CAIRN_CONTAINER_WORK:-/var/tmp/cairn-container-test}"
mkdir -p "$work"

need=()
command -v podman >/dev/null || need+=(podman)
command -v runc >/dev/null || need+=(runc)
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v curl >/dev/null || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

# crun fails on this kernel's hybrid cgroups; runc works.
cat > "$work/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
[engine]
runtime = "runc"
CONF
export CONTAINERS_CONF="$work/containers.conf"

base=localhost/cairn-base:bookworm
if ! podman image exists "$base"; then
  echo "== making $base with debootstrap (once)"
  rm -rf "$work/rootfs"
  debootstrap --variant=minbase --include=openjdk-17-jdk-headless,maven bookworm "$work/rootfs" \
    > "$work/debootstrap.log" 2>&1 || { tail -20 "$work/debootstrap.log"; exit 1; }
  rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"*
  tar -C "$work/rootfs" -c . | podman import - "$base" > /dev/null
  rm -rf "$work/rootfs"
fi

echo "== building the image"
(cd "$here" && [ -f restore-cli/target/lib/picocli-4.7.7.jar ] || mvn -B -q install -DskipTests)
podman build -q -f "$here/container/Dockerfile" --build-arg BUILD_IMAGE="$base" --build-arg BASE_IMAGE="$base" \
  --build-arg MVN_FLAGS=-o -v "$HOME/.m2:/root/.m2" -t localhost/cairn:test "$here" > /dev/null
# The image's class-data archive is there and its JVM takes cairn's classes from it.
classes=$(podman run --rm --network host -e CAIRN_JAVA_OPTS="-Xmx1g -Xlog:class+load=info:stderr" localhost/cairn:test \
  --version 2>&1)
grep -q 'dev.cairn.cli.Cairn source: shared objects file (top)' <<< "$classes" \
  || { echo "the image's class-data archive is not used"; grep 'dev.cairn.cli.Cairn ' <<< "$classes"; exit 1; }

echo "== S3 server on the host"
jar="$work/s3proxy-4.1.0-jar-with-dependencies.jar"
[ -f "$jar" ] || (cd "$here" && mvn -B -q dependency:copy \
  -Dartifact=org.gaul:s3proxy:4.1.0:jar:jar-with-dependencies -DoutputDirectory="$work")
free_port() { # a port nothing listens on
  local p
  while :; do
    p=$(shuf -i 20000-60000 -n 1)
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}
port=$(free_port)
http=$(free_port)
rm -rf "$work/s3" "$work/data" "$work/etc" "$work/restored" "$work/cache"
mkdir -p "$work/s3" "$work/etc"
cat > "$work/s3proxy.properties" <<PROPS
s3proxy.endpoint=http://127.0.0.1:$port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=cairn
s3proxy.credential=cairnsecret
jclouds.provider=filesystem-nio2
jclouds.filesystem.basedir=$work/s3
PROPS
java -jar "$jar" --properties "$work/s3proxy.properties" > "$work/s3proxy.log" 2>&1 &
s3pid=$!
cleanup() {
  podman rm -f cairn-test > /dev/null 2>&1 || true
  kill "$s3pid" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 150); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2; done
curl -sf --aws-sigv4 "aws:amz:us-east-1:s3" --user cairn:cairnsecret -X PUT "http://127.0.0.1:$port/backups" \
  -H "x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" > /dev/null

echo "== a data volume and a repository"
mkdir -p "$work/data/projects/a" "$work/data/home"
head -c 3000000 /dev/urandom > "$work/data/projects/a/big.bin"
for i in $(seq 50); do echo "file $i" > "$work/data/home/f$i.txt"; done
echo "container passphrase" > "$work/etc/passphrase"
chmod 644 "$work/etc/passphrase"
export AWS_ACCESS_KEY_ID=cairn AWS_SECRET_ACCESS_KEY=cairnsecret AWS_REGION=us-east-1
export CAIRN_PASSWORD_FILE="$work/etc/passphrase" CAIRN_CACHE_DIR="$work/cache"
s3opts=(--repo s3://backups/node1 --s3-endpoint "http://127.0.0.1:$port" --s3-path-style)
"$here/bin/cairn" "${s3opts[@]}" init > /dev/null
cat > "$work/etc/cairn.yaml" <<YAML
repository: s3://backups/node1
s3: {endpoint: "http://127.0.0.1:$port", path-style: true}
password-file: /etc/cairn/passphrase
http: {address: 127.0.0.1, port: $http}
stop-grace: 20s
jobs:
  - {name: nightly, type: backup, schedule: "@every 3s", sources: [/data]}
YAML

echo "== running the container"
podman run -d --name cairn-test --network host \
  -v "$work/data:/data:ro" -v "$work/etc:/etc/cairn:ro" \
  -e AWS_ACCESS_KEY_ID -e AWS_SECRET_ACCESS_KEY -e AWS_REGION \
  localhost/cairn:test daemon --config /etc/cairn/cairn.yaml --log-format json > /dev/null
ok=
for _ in $(seq 180); do
  if curl -s "http://127.0.0.1:$http/metrics" | grep -q 'cairn_job_runs_total{job="nightly",status="ok"}'; then
    ok=1; break
  fi
  sleep 1
done
if [ -z "$ok" ]; then echo "no backup showed up in /metrics"; podman logs cairn-test | tail -20; exit 1; fi
curl -s "http://127.0.0.1:$http/metrics" | grep -E '^cairn_(backup_files|job_last_run_success)'

echo "== SIGTERM"
podman stop -t 40 cairn-test > /dev/null
code=$(podman inspect --format '{{.State.ExitCode}}' cairn-test)
podman logs cairn-test 2>&1 | tail -3
[ "$code" = 0 ] || { echo "the daemon exited with $code after SIGTERM"; exit 1; }

echo "== restoring outside the container"
"$here/bin/cairn" "${s3opts[@]}" restore latest --target "$work/restored" > /dev/null
diff -r "$work/data" "$work/restored/data"
"$here/bin/cairn" "${s3opts[@]}" check > /dev/null
echo "container test: OK"

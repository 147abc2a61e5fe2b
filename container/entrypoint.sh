#!/bin/sh
# The container's cairn command: exec, so that the JVM is PID 1 and receives SIGTERM itself. JVM flags as in
# bin/cairn (why: see there).
# RocksDB's JNI library from /opt/cairn/native rather than copied out of its jar on every start, and its C library
# check (a shell running ldd) answered here: see bin/cairn.
if [ -z "${ROCKSDB_MUSL_LIBC:-}" ]; then
  if ls /lib/ld-musl-* >/dev/null 2>&1; then ROCKSDB_MUSL_LIBC=true; else ROCKSDB_MUSL_LIBC=false; fi
  export ROCKSDB_MUSL_LIBC
fi
# zstd-jni's library from /opt/cairn/native too (ZstdNativePath), for glibc on amd64 or aarch64: see bin/cairn.
zstd=
case "$(uname -m)" in x86_64) arch=amd64 ;; aarch64) arch=aarch64 ;; *) arch=none ;; esac
for lib in /opt/cairn/native/linux/$arch/libzstd-jni-*.so; do
  if [ -f "$lib" ] && [ "$ROCKSDB_MUSL_LIBC" = false ]; then zstd=-DZstdNativePath=$lib; fi
done
# Two malloc arenas unless set: see bin/cairn.
MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
export MALLOC_ARENA_MAX
# The class-data archive made when the image was built (see bin/cairn and the Dockerfile); CAIRN_CLASS_DATA=make
# runs the training workload that makes it, =off runs without it.
main=dev.cairn.cli.Cairn
cds=
case "${CAIRN_CLASS_DATA:-on}" in
  make) main=dev.cairn.cli.ClassDataTraining; cds=-XX:ArchiveClassesAtExit=/opt/cairn/cairn.jsa ;;
  off) ;;
  *) if [ -f /opt/cairn/cairn.jsa ]; then cds=-XX:SharedArchiveFile=/opt/cairn/cairn.jsa; fi ;;
esac
exec java -Xms32m -Xlog:disable -Xlog:all=warning:stderr ${CAIRN_JAVA_OPTS:--Xmx1g} -XX:+UseParallelGC -XX:+UseAdaptiveSizePolicyWithSystemGC -XX:MaxNewSize=64m -XX:FreqInlineSize=60 -Djdk.nio.maxCachedBufferSize=262144 --add-opens java.base/sun.nio.fs=ALL-UNNAMED \
  -Djava.library.path=/opt/cairn/native:/usr/java/packages/lib:/usr/lib64:/lib64:/lib:/usr/lib \
  $zstd $cds -cp "/opt/cairn/lib/*" "$main" "$@"

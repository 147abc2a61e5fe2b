#!/bin/sh
# The container's cairn command: exec, so that the JVM is PID 1 and receives SIGTERM itself. JVM flags as in
# bin/cairn (why: see there).
# RocksDB's JNI library from /opt/cairn/native rather than copied out of its jar on every start, and its C library
# check (a shell running ldd) answered here: see bin/cairn.
if [ -z "${ROCKSDB_MUSL_LIBC:-}" ]; then
  if ls /lib/ld-musl-* >/dev/null 2>&1; then ROCKSDB_MUSL_LIBC=true; else ROCKSDB_MUSL_LIBC=false; fi
  export ROCKSDB_MUSL_LIBC
fi
exec java -Xms32m ${CAIRN_JAVA_OPTS:--Xmx1g} -XX:+UseParallelGC -XX:MaxNewSize=64m -XX:FreqInlineSize=60 -Djdk.nio.maxCachedBufferSize=262144 --add-opens java.base/sun.nio.fs=ALL-UNNAMED \
  -Djava.library.path=/opt/cairn/native:/usr/java/packages/lib:/usr/lib64:/lib64:/lib:/usr/lib \
  -cp "/opt/cairn/lib/*" dev.cairn.cli.Cairn "$@"

#!/bin/sh
# The container's cairn command: exec, so that the JVM is PID 1 and receives SIGTERM itself. JVM flags as in
# bin/cairn (why: see there).
exec java -Xms32m ${CAIRN_JAVA_OPTS:--Xmx1g} -XX:+UseParallelGC -XX:MaxNewSize=64m -XX:FreqInlineSize=60 -Djdk.nio.maxCachedBufferSize=262144 --add-opens java.base/sun.nio.fs=ALL-UNNAMED \
  -cp "/opt/cairn/lib/*" dev.cairn.cli.Cairn "$@"

#!/bin/sh
# The container's cairn command: exec, so that the JVM is PID 1 and receives SIGTERM itself.
exec java -Xms32m ${CAIRN_JAVA_OPTS:--Xmx1g} -XX:+UseParallelGC --add-opens java.base/sun.nio.fs=ALL-UNNAMED \
  -cp "/opt/cairn/lib/*" dev.cairn.cli.Cairn "$@"

/**
 * JMH benchmarks of cairn's hot path. Build with {@code mvn -B -pl jmh -am package -DskipTests}, then run
 * {@code java -jar jmh/target/benchmarks.jar BENCHMARK}; each class's Javadoc gives its exact command. Byte
 * throughput benchmarks count one operation per byte and report in ops/us, which reads directly as MB/s.
 * {@link dev.cairn.jmh.WarmFirstBackups} is a plain program in the same jar that times whole first backups of a
 * tree in one JVM.
 */
package dev.cairn.jmh;

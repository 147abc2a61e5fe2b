/**
 * JMH benchmarks of cairn's hot path. Build with {@code mvn -B -pl jmh -am package -DskipTests}, then run
 * {@code java -jar jmh/target/benchmarks.jar BENCHMARK}; each class's Javadoc gives its exact command. Byte
 * throughput benchmarks count one operation per byte and report in ops/us, which reads directly as MB/s.
 */
package dev.cairn.jmh;

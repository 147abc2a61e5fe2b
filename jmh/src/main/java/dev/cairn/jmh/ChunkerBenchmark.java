package dev.cairn.jmh;

import dev.cairn.store.chunker.ChunkerParams;
import dev.cairn.store.chunker.FastCdc;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * FastCDC cut-point search over 64 MiB in memory, default sizes (512 KiB / 1 MiB / 8 MiB), one thread.
 * Score: MB/s (ops/us, one op per byte).
 *
 * <pre>java -jar jmh/target/benchmarks.jar ChunkerBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ChunkerBenchmark {
    static final int SIZE = 64 << 20;

    @Param({"text", "random"})
    public String data;

    private byte[] input;
    private FastCdc cdc;

    @Setup
    public void setUp() throws IOException {
        input = Corpus.of(data, SIZE);
        cdc = FastCdc.of(ChunkerParams.DEFAULT);
    }

    @Benchmark
    @OperationsPerInvocation(SIZE)
    public int cutAll() {
        int pos = 0;
        int chunks = 0;
        while (pos < SIZE) {
            pos += cdc.cut(input, pos, SIZE - pos);
            chunks++;
        }
        return chunks;
    }
}

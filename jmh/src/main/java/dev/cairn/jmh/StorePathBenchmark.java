package dev.cairn.jmh;

import dev.cairn.store.BlobId;
import dev.cairn.store.chunker.ChunkerParams;
import dev.cairn.store.chunker.FastCdc;
import dev.cairn.store.codec.BlobCodec;
import dev.cairn.store.codec.ChunkIdHasher;
import dev.cairn.store.codec.Compression;
import dev.cairn.store.codec.MasterKey;
import dev.cairn.store.pack.BlobType;
import dev.cairn.store.pack.PackWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.SecureRandom;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole store path on one thread: stream 64 MiB through FastCDC (default sizes), id every chunk, compress
 * and encrypt it into a pack, and finish packs at 16 MiB (including the parse-back check). No I/O. Score: MB/s
 * of input (ops/us, one op per byte).
 *
 * <pre>java -jar jmh/target/benchmarks.jar StorePathBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class StorePathBenchmark {
    static final int SIZE = 64 << 20;
    static final int PACK = 16 << 20;

    @Param({"text", "random"})
    public String data;

    private byte[] input;
    private FastCdc cdc;
    private byte[] buffer;
    private ChunkIdHasher hasher;
    private BlobCodec codec;
    private PackWriter pack;

    @Setup
    public void setUp() throws IOException {
        input = Corpus.of(data, SIZE);
        cdc = FastCdc.of(ChunkerParams.DEFAULT);
        buffer = new byte[cdc.bufferSize()];
        MasterKey key = MasterKey.random(new SecureRandom(), true);
        hasher = key.newIdHasher();
        codec = key.newCodec(Compression.DEFAULT);
        pack = new PackWriter(codec, PACK + PACK / 4);
    }

    @TearDown
    public void tearDown() {
        codec.close();
    }

    @Benchmark
    @OperationsPerInvocation(SIZE)
    public long storeAll() throws IOException {
        long packed = 0;
        FastCdc.Stream s = cdc.stream(new ByteArrayInputStream(input), buffer);
        while (s.next()) {
            BlobId id = hasher.id(s.buffer(), s.chunkStart(), s.chunkLength());
            pack.add(BlobType.DATA, id, s.buffer(), s.chunkStart(), s.chunkLength());
            if (pack.size() >= PACK) {
                packed += pack.finish().length();
            }
        }
        if (!pack.isEmpty()) {
            packed += pack.finish().length();
        }
        return packed;
    }
}

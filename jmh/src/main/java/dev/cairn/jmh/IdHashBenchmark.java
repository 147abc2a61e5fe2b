package dev.cairn.jmh;

import dev.cairn.store.BlobId;
import dev.cairn.store.codec.ChunkIdHasher;
import dev.cairn.store.codec.MasterKey;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Chunk ids: HMAC-SHA-256 of 1 MiB chunks (cairn's id), next to plain SHA-256 of the same bytes (the ceiling).
 * Score: MB/s (ops/us, one op per byte).
 *
 * <pre>java -jar jmh/target/benchmarks.jar IdHashBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class IdHashBenchmark {
    static final int CHUNK = 1 << 20;

    private byte[] chunk;
    private ChunkIdHasher hasher;
    private MessageDigest sha;
    private final byte[] out = new byte[32];

    @Setup
    public void setUp() throws NoSuchAlgorithmException {
        chunk = Corpus.random(CHUNK);
        hasher = MasterKey.random(new SecureRandom(), true).newIdHasher();
        sha = MessageDigest.getInstance("SHA-256");
    }

    @Benchmark
    @OperationsPerInvocation(CHUNK)
    public BlobId hmacSha256() {
        return hasher.id(chunk, 0, CHUNK);
    }

    @Benchmark
    @OperationsPerInvocation(CHUNK)
    public byte[] plainSha256() throws Exception {
        sha.update(chunk, 0, CHUNK);
        sha.digest(out, 0, 32);
        return out;
    }
}

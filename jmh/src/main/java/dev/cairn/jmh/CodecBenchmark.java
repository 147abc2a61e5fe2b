package dev.cairn.jmh;

import dev.cairn.store.BlobId;
import dev.cairn.store.codec.BlobCodec;
import dev.cairn.store.codec.BlobKind;
import dev.cairn.store.codec.Compression;
import dev.cairn.store.codec.MasterKey;
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
 * Sealing one 1 MiB chunk: {@code compress} is zstd level 3 alone (unencrypted codec, CRC-32C),
 * {@code encrypt} is AES-256-GCM alone (compression off), {@code decrypt} opens such a blob, and
 * {@code compressAndEncrypt} is the default codec.
 * Score: MB/s of raw input (ops/us, one op per byte).
 *
 * <pre>java -jar jmh/target/benchmarks.jar CodecBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CodecBenchmark {
    static final int CHUNK = 1 << 20;

    @Param({"text", "random"})
    public String data;

    private byte[] chunk;
    private byte[] out;
    private BlobId id;
    private BlobCodec compressOnly;
    private BlobCodec encryptOnly;
    private BlobCodec both;
    private byte[] sealedRaw;

    @Setup
    public void setUp() throws IOException {
        chunk = Corpus.of(data, CHUNK);
        SecureRandom r = new SecureRandom();
        MasterKey key = MasterKey.random(r, true);
        compressOnly = MasterKey.random(r, false).newCodec(Compression.DEFAULT);
        encryptOnly = key.newCodec(Compression.OFF);
        both = key.newCodec(Compression.DEFAULT);
        out = new byte[both.maxSealedLength(CHUNK)];
        id = key.newIdHasher().id(chunk, 0, CHUNK);
        sealedRaw = encryptOnly.seal(BlobKind.DATA, id, chunk);
    }

    @TearDown
    public void tearDown() {
        compressOnly.close();
        encryptOnly.close();
        both.close();
    }

    @Benchmark
    @OperationsPerInvocation(CHUNK)
    public int compress() {
        return compressOnly.seal(BlobKind.DATA, id, chunk, 0, CHUNK, out, 0);
    }

    @Benchmark
    @OperationsPerInvocation(CHUNK)
    public int encrypt() {
        return encryptOnly.seal(BlobKind.DATA, id, chunk, 0, CHUNK, out, 0);
    }

    @Benchmark
    @OperationsPerInvocation(CHUNK)
    public byte[] decrypt() throws IOException {
        return encryptOnly.open(BlobKind.DATA, id, sealedRaw, "bench");
    }

    @Benchmark
    @OperationsPerInvocation(CHUNK)
    public int compressAndEncrypt() {
        return both.seal(BlobKind.DATA, id, chunk, 0, CHUNK, out, 0);
    }
}

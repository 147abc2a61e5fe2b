package dev.cairn.jmh;

import dev.cairn.catalog.Catalog;
import dev.cairn.store.BlobId;
import dev.cairn.store.pack.BlobType;
import dev.cairn.store.pack.PackedBlob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Chunk-index lookups in the RocksDB catalog holding {@code entries} blobs (default 10 million, as a large
 * repository has): {@code hit} looks up a stored id, {@code miss} a new one (the common case during a first
 * backup, answered by the bloom filter). The catalog is built and compacted once under
 * {@code /tmp/cairn-catalog-bench-N} and reused by later runs. Score: nanoseconds per lookup.
 *
 * <pre>java -jar jmh/target/benchmarks.jar CatalogBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class CatalogBenchmark {
    static final String REPO = "b".repeat(64);

    @Param({"10000000"})
    public int entries;

    private Catalog catalog;
    private BlobId[] present;
    private BlobId[] absent;
    private int i;

    static BlobId id(Random r) {
        byte[] b = new byte[32];
        r.nextBytes(b);
        return BlobId.of(b);
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "cairn-catalog-bench-" + entries);
        boolean built = Files.exists(dir.resolve("complete"));
        catalog = Catalog.open(dir.resolve("db"), REPO);
        Random r = new Random(42);
        if (!built || catalog.isFresh()) {
            BlobId pack = id(new Random(1));
            List<PackedBlob> batch = new ArrayList<>();
            for (int n = 0; n < entries; n++) {
                batch.add(new PackedBlob(BlobType.DATA, id(r), n * 1000L, 1000, 2000));
                if (batch.size() == 100_000) {
                    catalog.addUnindexedPack(pack, batch);
                    batch.clear();
                }
            }
            catalog.addUnindexedPack(pack, batch);
            catalog.compact();
            Files.writeString(dir.resolve("complete"), "");
        }
        Random replay = new Random(42);
        present = new BlobId[1 << 16];
        int stride = Math.max(1, entries / present.length);
        for (int n = 0, k = 0; n < entries && k < present.length; n++) {
            BlobId b = id(replay);
            if (n % stride == 0) {
                present[k++] = b;
            }
        }
        absent = new BlobId[1 << 16];
        Random other = new Random(7);
        for (int k = 0; k < absent.length; k++) {
            absent[k] = id(other);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        catalog.close();
    }

    @Benchmark
    public boolean hit() {
        return catalog.find(present[i++ & (present.length - 1)]).isPresent();
    }

    @Benchmark
    public boolean miss() {
        return catalog.contains(absent[i++ & (absent.length - 1)]);
    }
}

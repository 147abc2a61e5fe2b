package dev.cairn.jmh;

import dev.cairn.catalog.model.FileName;
import dev.cairn.catalog.model.MetadataCodec;
import dev.cairn.catalog.model.Node;
import dev.cairn.catalog.model.NodeType;
import dev.cairn.catalog.model.Tree;
import dev.cairn.store.BlobId;
import dev.cairn.store.CorruptObjectException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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
 * Tree encoding and decoding, per entry, for a directory of 1,000 files with one chunk each. Score: nanoseconds
 * per entry.
 *
 * <pre>java -jar jmh/target/benchmarks.jar TreeCodecBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TreeCodecBenchmark {
    static final int ENTRIES = 1000;

    private Tree tree;
    private byte[] encoded;

    @Setup
    public void setUp() {
        Random r = new Random(3);
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < ENTRIES; i++) {
            byte[] id = new byte[32];
            r.nextBytes(id);
            nodes.add(new Node(FileName.of("file-" + i + ".c"), NodeType.FILE, 0644, 1000, 1000, "user", "group",
                    r.nextInt(100_000), r.nextLong(), r.nextLong(), r.nextLong(), r.nextInt(), 2049, 1, null, 0, null,
                    List.of(BlobId.of(id)), null));
        }
        tree = new Tree(nodes);
        encoded = MetadataCodec.encodeTree(tree);
    }

    @Benchmark
    @OperationsPerInvocation(ENTRIES)
    public byte[] encode() {
        return MetadataCodec.encodeTree(tree);
    }

    @Benchmark
    @OperationsPerInvocation(ENTRIES)
    public Tree decode() throws CorruptObjectException {
        return MetadataCodec.decodeTree(encoded, "bench");
    }
}

package dev.cairn.jmh;

import dev.cairn.backup.ParentMerge;
import dev.cairn.catalog.model.FileName;
import dev.cairn.catalog.model.MetadataCodec;
import dev.cairn.catalog.model.Node;
import dev.cairn.catalog.model.NodeType;
import dev.cairn.catalog.model.Tree;
import dev.cairn.store.BlobId;
import dev.cairn.store.CorruptObjectException;
import dev.cairn.store.codec.ChunkIdHasher;
import dev.cairn.store.codec.MasterKey;
import java.security.SecureRandom;
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
 * The parent-tree merge of an unchanged directory of 1,000 files, without the filesystem: the parent's tree
 * decoded from its cached bytes, each entry found in it and compared (size, mtime, ctime, inode; then everything
 * but atime, which the scan moved), the directory's new tree built, encoded and given its id, which comes out equal
 * to the parent's. This is the CPU a no-change backup spends per entry beyond listing and {@code lstat}. Score:
 * nanoseconds per entry.
 *
 * <pre>java -jar jmh/target/benchmarks.jar ParentMergeBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ParentMergeBenchmark {
    static final int ENTRIES = 1000;

    private byte[] parentTree;
    private BlobId parentId;
    private List<Node> scanned;
    private ChunkIdHasher hasher;

    @Setup
    public void setUp() {
        Random r = new Random(5);
        hasher = MasterKey.random(new SecureRandom(), true).newIdHasher();
        List<Node> parent = new ArrayList<>();
        scanned = new ArrayList<>();
        for (int i = 0; i < ENTRIES; i++) {
            byte[] id = new byte[32];
            r.nextBytes(id);
            long mtime = r.nextLong();
            long ctime = r.nextLong();
            long inode = r.nextInt(1 << 30);
            long size = r.nextInt(100_000);
            FileName name = FileName.of(String.format("file-%04d.c", i));
            parent.add(new Node(name, NodeType.FILE, 0644, 1000, 1000, "user", "group", size, mtime, 1L, ctime,
                    inode, 2049, 1, null, 0, null, List.of(BlobId.of(id)), null));
            // As the scan sees it now: same file, atime moved, no content yet.
            scanned.add(new Node(name, NodeType.FILE, 0644, 1000, 1000, "user", "group", size, mtime, 2L, ctime,
                    inode, 2049, 1, null, 0, null, null, null));
        }
        parentTree = MetadataCodec.encodeTree(new Tree(parent));
        parentId = hasher.id(parentTree, 0, parentTree.length);
    }

    @Benchmark
    @OperationsPerInvocation(ENTRIES)
    public BlobId mergeUnchangedDirectory() throws CorruptObjectException {
        ParentMerge.Walk parent = new ParentMerge.Walk(MetadataCodec.decodeTree(parentTree, "bench"));
        List<Node> nodes = new ArrayList<>(ENTRIES);
        for (Node now : scanned) {
            Node before = parent.find(now.name());
            nodes.add(ParentMerge.contentUnchanged(before, now) ? ParentMerge.unchangedFile(before, now) : now);
        }
        byte[] encoded = MetadataCodec.encodeTree(new Tree(nodes));
        BlobId id = hasher.id(encoded, 0, encoded.length);
        if (!id.equals(parentId)) {
            throw new IllegalStateException("an unchanged directory got a new tree id");
        }
        return id;
    }
}

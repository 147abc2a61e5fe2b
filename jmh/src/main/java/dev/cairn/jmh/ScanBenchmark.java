package dev.cairn.jmh;

import dev.cairn.backup.Backup;
import dev.cairn.backup.BackupOptions;
import dev.cairn.backup.BackupProgress;
import dev.cairn.catalog.Catalog;
import dev.cairn.store.LocalDirectoryBlobStore;
import dev.cairn.store.repo.Repository;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The scan hot path per file, over a generated tree of 20,000 small files in 100 directories (page cache warm):
 * {@code listAndStat} lists every directory and reads one {@code lstat} per entry through the JDK (the floor, as
 * {@code find} does it); {@code listAndStatAt} the same with each entry looked up in its open directory
 * ({@code fstatat}, as the backup does); {@code noChangeBackup} is a whole incremental backup in which nothing changed: listing,
 * one {@code lstat} per entry, the merge with the parent snapshot's trees, tree encoding and the snapshot commit.
 * Score: microseconds per file.
 *
 * <pre>java --add-opens java.base/sun.nio.fs=ALL-UNNAMED -jar jmh/target/benchmarks.jar ScanBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/sun.nio.fs=ALL-UNNAMED"})
public class ScanBenchmark {
    static final int DIRS = 100;
    static final int FILES_PER_DIR = 200;
    static final int FILES = DIRS * FILES_PER_DIR;

    private Path root;
    private Path tree;
    private Repository repo;
    private Catalog catalog;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        root = Files.createTempDirectory("cairn-scan-bench");
        tree = root.resolve("tree");
        Random r = new Random(1);
        for (int d = 0; d < DIRS; d++) {
            Path dir = tree.resolve("d" + d);
            Files.createDirectories(dir);
            for (int f = 0; f < FILES_PER_DIR; f++) {
                byte[] b = new byte[1 + r.nextInt(200)];
                r.nextBytes(b);
                Files.write(dir.resolve("f" + f), b);
            }
        }
        repo = Repository.init(LocalDirectoryBlobStore.at(root.resolve("repo")),
                Repository.InitOptions.defaults().withKdfCost(1 << 10), "bench".toCharArray(), Clock.systemUTC());
        catalog = Catalog.open(root.resolve("catalog"), repo.config().id());
        Backup.run(repo, catalog, BackupOptions.of(List.of(tree)), BackupProgress.NONE);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        catalog.close();
        Corpus.delete(root);
    }

    @Benchmark
    @OperationsPerInvocation(FILES)
    public long listAndStat() throws IOException {
        long sum = 0;
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tree)) {
            for (Path d : dirs) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(d)) {
                    for (Path f : files) {
                        sum += Files.readAttributes(f, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).size();
                    }
                }
            }
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(FILES)
    public long listAndStatAt() throws IOException {
        long sum = 0;
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tree)) {
            for (Path d : dirs) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(d)) {
                    SecureDirectoryStream<Path> at = (SecureDirectoryStream<Path>) files;
                    for (Path f : files) {
                        sum += at.getFileAttributeView(f.getFileName(), PosixFileAttributeView.class,
                                LinkOption.NOFOLLOW_LINKS).readAttributes().size();
                    }
                }
            }
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(FILES)
    public String noChangeBackup() throws IOException {
        return Backup.run(repo, catalog, BackupOptions.of(List.of(tree)), BackupProgress.NONE).snapshotId();
    }
}

package dev.cairn.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.Backup;
import dev.cairn.backup.BackupOptions;
import dev.cairn.backup.BackupProgress;
import dev.cairn.backup.BackupResult;
import dev.cairn.backup.Checker;
import dev.cairn.catalog.Catalog;
import dev.cairn.catalog.CatalogSync;
import dev.cairn.catalog.MetadataReader;
import dev.cairn.store.BlobStore;
import dev.cairn.store.RetryingBlobStore;
import dev.cairn.store.chunker.ChunkerParams;
import dev.cairn.store.repo.Repository;
import dev.cairn.store.s3.FaultyHttpClient;
import dev.cairn.store.s3.S3BlobStore;
import dev.cairn.store.s3.S3Settings;
import dev.cairn.store.s3.S3TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups and restores over a network that misbehaves: throttling, 500s, slow answers and dropped connections on
 * a real S3 server, and the server going away in the middle of a backup.
 */
class S3FaultsTest {
    @TempDir
    Path tmp;

    S3TestServer server;
    S3Settings settings;
    Path src;

    @BeforeEach
    void start() throws Exception {
        server = new S3TestServer(tmp.resolve("s3"));
        server.createBucket("flaky");
        settings = server.settings("flaky", "repo");
        src = tmp.resolve("src");
        Random r = new Random(6);
        for (int d = 0; d < 5; d++) {
            Path dir = Files.createDirectories(src.resolve("d" + d));
            for (int f = 0; f < 6; f++) {
                byte[] b = new byte[r.nextInt(200_000)];
                r.nextBytes(b);
                Files.write(dir.resolve("f" + f), b);
            }
        }
        try (Repository repo = Repository.init(S3BlobStore.open(settings), Repository.InitOptions.defaults()
                .withKdfCost(1 << 10).withChunker(ChunkerParams.of(16 << 10, 64 << 10, 256 << 10, 1))
                .withPackSize(256 << 10), "pw".toCharArray(), Clock.systemUTC())) {
            assertThat(repo.config().id()).isNotEmpty();
        }
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    Repository open(BlobStore store) throws IOException {
        return Repository.open(store, "pw".toCharArray(), Clock.systemUTC());
    }

    BackupResult backup(Repository repo, String catalogDir) throws IOException {
        try (Catalog catalog = CatalogSync.openAndSync(tmp.resolve(catalogDir), repo).catalog()) {
            return Backup.run(repo, catalog, BackupOptions.of(List.of(src)), BackupProgress.NONE);
        }
    }

    void restoreAndCompare(Repository repo, Path target) throws IOException {
        try (Catalog catalog = CatalogSync.openAndSync(tmp.resolve("restore-catalog-" + target.getFileName()), repo)
                .catalog(); MetadataReader reader = new MetadataReader(repo, catalog)) {
            RestoreResult r = new Restorer(repo, catalog, reader, RestoreOptions.defaults().withVerify(true),
                    RestoreListener.NONE).restore(reader.resolve("latest").snapshot().tree(), "/", target);
            assertThat(r.errors()).isEmpty();
        }
        RestorerTest.assertSameContent(src, target.resolve("src"));
    }

    @Test
    void aFlakyNetworkSlowsABackupDownButNeverCorruptsIt() throws Exception {
        FaultyHttpClient client = new FaultyHttpClient(FaultyHttpClient.cycling(6));
        try (Repository repo = open(FaultyHttpClient.retryingStore(settings, client))) {
            BackupResult first = backup(repo, "catalog");
            assertThat(first.warnings()).isEmpty();
            Files.writeString(src.resolve("d2/f1"), "changed over a bad line");
            assertThat(backup(repo, "catalog").warnings()).isEmpty();
            restoreAndCompare(repo, tmp.resolve("restored"));
        }
        assertThat(client.injected().values().stream().mapToLong(Long::longValue).sum())
                .isGreaterThan(client.injected().get(FaultyHttpClient.Fault.NONE) / 10);
        try (Repository clean = open(S3BlobStore.open(settings))) {
            assertThat(Checker.checkStructure(clean).problems()).isEmpty();
        }
    }

    @Test
    void theServerGoingAwayFailsTheRunCleanlyAndTheNextRunCompletes() throws Exception {
        // Other threads' requests may fail (and the run end) while the server is still stopping: the run's failure
        // is checked against the stop having begun, and the restart waits for the stop to end.
        AtomicBoolean stopping = new AtomicBoolean();
        CountDownLatch stopped = new CountDownLatch(1);
        FaultyHttpClient client = FaultyHttpClient.atDataPut(3, () -> {
            stopping.set(true);
            try {
                server.stop();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                stopped.countDown();
            }
        });
        BlobStore dying = RetryingBlobStore.wrap(FaultyHttpClient.store(settings.withTimeout(Duration.ofSeconds(2)),
                client), new RetryingBlobStore.Policy(3, Duration.ofMillis(5), Duration.ofMillis(20)));
        try (Repository repo = open(dying)) {
            assertThatThrownBy(() -> backup(repo, "catalog")).isInstanceOf(IOException.class)
                    .hasMessageContaining("failed after 3 attempts");
        }
        assertThat(stopping).isTrue();
        assertThat(stopped.await(60, TimeUnit.SECONDS)).as("server stopped").isTrue();
        server.restart();
        try (Repository repo = open(S3BlobStore.open(settings))) {
            assertThat(Checker.checkStructure(repo).problems()).as("the repository is valid").isEmpty();
            assertThat(backup(repo, "catalog").warnings()).isEmpty();
            assertThat(Checker.checkStructure(repo).problems()).isEmpty();
            restoreAndCompare(repo, tmp.resolve("after-outage"));
        }
    }
}

package dev.cairn.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.store.BlobStore;
import dev.cairn.store.ObjectInfo;
import dev.cairn.store.ObjectName;
import dev.cairn.store.ObjectType;
import dev.cairn.store.RetryingBlobStore;
import dev.cairn.store.TransientStoreException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Faults between cairn and a real S3 server, and the retrying decorator that rides them out. */
class RetryingS3Test {
    @TempDir
    Path tmp;

    S3TestServer server;
    S3Settings settings;

    @BeforeEach
    void start() throws Exception {
        server = new S3TestServer(tmp.resolve("s3"));
        server.createBucket("faults");
        settings = server.settings("faults", "r");
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    static ObjectName name(int i) {
        return ObjectName.of(ObjectType.DATA, String.format("%064x", 1000L + i));
    }

    @Test
    void everyKindOfFaultIsRiddenOut() throws IOException {
        FaultyHttpClient client = new FaultyHttpClient(FaultyHttpClient.cycling(7));
        List<byte[]> contents = new ArrayList<>();
        try (BlobStore store = FaultyHttpClient.retryingStore(settings.withPartSize(5 << 20), client)) {
            Random r = new Random(1);
            for (int i = 0; i < 25; i++) {
                byte[] b = new byte[i == 7 ? (11 << 20) : 1000 + r.nextInt(100_000)];
                r.nextBytes(b);
                contents.add(b);
                if (i % 2 == 0) {
                    store.put(name(i), b);
                } else {
                    // A prefix of a larger buffer, as packs are stored: each retry sends only those bytes.
                    byte[] buffer = java.util.Arrays.copyOf(b, b.length + 4096);
                    java.util.Arrays.fill(buffer, b.length, buffer.length, (byte) 0x5a);
                    store.put(name(i), buffer, b.length, dev.cairn.store.Placement.BULK);
                }
            }
            for (int i = 0; i < 25; i++) {
                assertThat(store.get(name(i))).isEqualTo(contents.get(i));
                assertThat(store.get(name(i), 10, 20)).isEqualTo(java.util.Arrays.copyOfRange(contents.get(i), 10, 30));
            }
            assertThat(store.list(ObjectType.DATA)).hasSize(25);
            store.delete(name(3));
            store.delete(name(3));
            assertThat(store.stat(name(3))).isEmpty();
            assertThat(((RetryingBlobStore) store).retries()).isGreaterThanOrEqualTo(5);
        }
        assertThat(client.injected().entrySet().stream().filter(e -> e.getKey() != FaultyHttpClient.Fault.NONE)
                .collect(Collectors.toMap(e -> e.getKey(), e -> e.getValue())))
                .allSatisfy((k, v) -> assertThat(v).as(k.toString()).isPositive());
        // Whatever was retried, the server holds exactly what was written.
        try (BlobStore clean = S3BlobStore.open(settings)) {
            for (ObjectInfo o : clean.list(ObjectType.DATA)) {
                int i = (int) (Long.parseLong(o.name().id(), 16) - 1000);
                assertThat(clean.get(o.name())).isEqualTo(contents.get(i));
            }
        }
    }

    @Test
    void aPutWhoseAnswerWasLostCountsAsDone() throws IOException {
        FaultyHttpClient client = new FaultyHttpClient(n -> n == 0 ? FaultyHttpClient.Fault.DROP_AFTER
                : FaultyHttpClient.Fault.NONE);
        try (BlobStore store = FaultyHttpClient.retryingStore(settings, client)) {
            store.put(ObjectName.CONFIG, new byte[] {42});
            assertThat(store.get(ObjectName.CONFIG)).containsExactly(42);
        }
        client = new FaultyHttpClient(n -> n == 0 ? FaultyHttpClient.Fault.DROP_AFTER : FaultyHttpClient.Fault.NONE);
        try (BlobStore store = FaultyHttpClient.retryingStore(settings, client)) {
            // The stored object is compared with the prefix that was put, not with the whole buffer.
            store.put(name(1), new byte[] {7, 8, 9}, 2, dev.cairn.store.Placement.STANDARD);
            assertThat(store.get(name(1))).containsExactly(7, 8);
        }
    }

    @Test
    void aServerThatStaysDownFailsWithAClearMessage() throws Exception {
        server.stop();
        List<Duration> waits = new ArrayList<>();
        try (BlobStore store = RetryingBlobStore.wrap(S3BlobStore.open(settings.withTimeout(Duration.ofSeconds(2))),
                new RetryingBlobStore.Policy(4, Duration.ofMillis(100), Duration.ofSeconds(1)), waits::add,
                () -> Long.MAX_VALUE / 3)) {
            assertThatThrownBy(() -> store.get(ObjectName.CONFIG)).isInstanceOf(IOException.class)
                    .isNotInstanceOf(TransientStoreException.class)
                    .hasMessageStartingWith("reading config failed after 4 attempts");
        }
        assertThat(waits).hasSize(3);
        // Exponential, capped, jittered below the cap.
        assertThat(waits.get(0)).isLessThanOrEqualTo(Duration.ofMillis(100));
        assertThat(waits.get(2)).isLessThanOrEqualTo(Duration.ofMillis(400)).isGreaterThan(waits.get(0));
        server.restart();
        try (BlobStore store = S3BlobStore.open(settings)) {
            assertThat(store.stat(ObjectName.CONFIG)).isEmpty();
        }
    }

    @Test
    void permanentErrorsAreNotRetried() throws IOException {
        List<Duration> waits = new ArrayList<>();
        try (BlobStore store = RetryingBlobStore.wrap(S3BlobStore.open(server.settings("no-such-bucket", "")),
                RetryingBlobStore.Policy.DEFAULT, waits::add, () -> 0)) {
            assertThatThrownBy(() -> store.list(ObjectType.INDEX)).hasMessageContaining("does not exist");
        }
        assertThat(waits).isEmpty();
    }
}

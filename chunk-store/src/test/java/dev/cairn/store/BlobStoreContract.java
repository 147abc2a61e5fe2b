package dev.cairn.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link BlobStore} contract. Every store's test extends this class and supplies a fresh, empty store per
 * test.
 */
public abstract class BlobStoreContract {
    protected BlobStore store;

    /** A new empty store. */
    protected abstract BlobStore newStore() throws IOException;

    @BeforeEach
    void openStore() throws IOException {
        store = newStore();
    }

    @AfterEach
    void closeStore() throws IOException {
        store.close();
    }

    static ObjectName data(int i) {
        return ObjectName.of(ObjectType.DATA, String.format("%064x", i * 7919L + 0xabcdef));
    }

    static byte[] bytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void putThenGetReturnsTheSameBytes() throws IOException {
        byte[] content = bytes(100_000, 1);
        store.put(data(1), content);
        assertThat(store.get(data(1))).isEqualTo(content);
        store.put(ObjectName.CONFIG, "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(store.get(ObjectName.CONFIG)).asString().isEqualTo("{}");
    }

    @Test
    void aPutOfAPrefixStoresOnlyThoseBytes() throws IOException {
        byte[] buffer = bytes(150_000, 9);
        store.put(data(9), buffer, 100_000, Placement.BULK);
        assertThat(store.get(data(9))).isEqualTo(java.util.Arrays.copyOf(buffer, 100_000));
        assertThat(store.stat(data(9))).contains(new ObjectInfo(data(9), 100_000));
        assertThatThrownBy(() -> store.put(data(9), buffer, 100_000, Placement.BULK))
                .isInstanceOf(ObjectExistsException.class);
        assertThatThrownBy(() -> store.put(data(10), buffer, 150_001, Placement.BULK))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(store.stat(data(10))).isEmpty();
    }

    @Test
    void emptyObjectsAreObjects() throws IOException {
        ObjectName n = ObjectName.of(ObjectType.LOCK, "0123456789abcdef");
        store.put(n, new byte[0]);
        assertThat(store.get(n)).isEmpty();
        assertThat(store.stat(n)).contains(new ObjectInfo(n, 0));
    }

    @Test
    void secondPutFailsAndKeepsTheFirst() throws IOException {
        store.put(data(2), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> store.put(data(2), new byte[] {9})).isInstanceOf(ObjectExistsException.class)
                .hasMessageContaining(data(2).toString());
        assertThat(store.get(data(2))).containsExactly(1, 2, 3);
    }

    @Test
    void rangedGet() throws IOException {
        byte[] content = bytes(5000, 3);
        store.put(data(3), content);
        assertThat(store.get(data(3), 100, 50)).isEqualTo(java.util.Arrays.copyOfRange(content, 100, 150));
        assertThat(store.get(data(3), 4990, 10)).isEqualTo(java.util.Arrays.copyOfRange(content, 4990, 5000));
        assertThat(store.get(data(3), 0, 0)).isEmpty();
        assertThatThrownBy(() -> store.get(data(3), 4990, 11)).isInstanceOf(EOFException.class);
    }

    @Test
    void missingObjects() throws IOException {
        assertThatThrownBy(() -> store.get(data(4))).isInstanceOf(NoSuchObjectException.class)
                .hasMessageContaining(data(4).toString());
        assertThatThrownBy(() -> store.get(data(4), 0, 1)).isInstanceOf(NoSuchObjectException.class);
        assertThat(store.stat(data(4))).isEmpty();
        store.delete(data(4));
        assertThat(store.list(ObjectType.DATA)).isEmpty();
    }

    @Test
    void statAndDelete() throws IOException {
        store.put(data(5), new byte[1234]);
        assertThat(store.stat(data(5))).contains(new ObjectInfo(data(5), 1234));
        store.delete(data(5));
        assertThat(store.stat(data(5))).isEmpty();
        store.delete(data(5));
        store.put(data(5), new byte[] {7});
        assertThat(store.get(data(5))).containsExactly(7);
    }

    @Test
    void listReturnsEveryObjectOfTheTypeOnly() throws IOException {
        List<ObjectInfo> expected = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            store.put(data(i), new byte[i]);
            expected.add(new ObjectInfo(data(i), i));
        }
        ObjectName idx = ObjectName.of(ObjectType.INDEX, "aaaaaaaabbbbbbbb");
        store.put(idx, new byte[3]);
        store.put(ObjectName.CONFIG, new byte[2]);
        assertThat(store.list(ObjectType.DATA)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(store.list(ObjectType.INDEX)).containsExactly(new ObjectInfo(idx, 3));
        assertThat(store.list(ObjectType.CONFIG)).containsExactly(new ObjectInfo(ObjectName.CONFIG, 2));
        assertThat(store.list(ObjectType.SNAPSHOT)).isEmpty();
    }

    @Test
    void concurrentPutsOfOneNameLeaveOneWholeObject() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                final byte[] content = bytes(200_000, 42);
                results.add(pool.submit(() -> {
                    try {
                        store.put(data(9), content);
                        return true;
                    } catch (ObjectExistsException e) {
                        return false;
                    }
                }));
            }
            int created = 0;
            for (Future<Boolean> f : results) {
                created += f.get() ? 1 : 0;
            }
            assertThat(created).isEqualTo(1);
            assertThat(store.get(data(9))).isEqualTo(bytes(200_000, 42));
        } finally {
            pool.shutdownNow();
        }
    }
}

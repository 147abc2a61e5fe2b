package dev.cairn.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RateLimiterTest {
    @TempDir
    Path dir;

    @Test
    void holdsBytesToTheRateOnAFakeClock() throws Exception {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        AtomicLong slept = new AtomicLong();
        RateLimiter r = RateLimiter.of(1_000_000, now::get, n -> {
            slept.addAndGet(n);
            now.addAndGet(n);
        });
        for (int i = 0; i < 10; i++) {
            r.acquire(500_000);
        }
        // 5 MB at 1 MB/s: the first half-megabyte goes at once, the rest waits 4.5 s in all.
        assertThat(slept.get()).isEqualTo(4_500_000_000L);
        now.addAndGet(10_000_000_000L); // idle time is not saved up as a burst beyond one request
        long before = slept.get();
        r.acquire(1_000_000);
        r.acquire(1_000_000);
        assertThat(slept.get() - before).isEqualTo(1_000_000_000L);
    }

    @Test
    void throttledStoreLimitsPutsOnly() throws Exception {
        AtomicLong now = new AtomicLong();
        AtomicLong slept = new AtomicLong();
        BlobStore s = ThrottledBlobStore.wrap(LocalDirectoryBlobStore.at(dir), RateLimiter.of(1000, now::get, n -> {
            slept.addAndGet(n);
            now.addAndGet(n);
        }));
        s.put(ObjectName.of(ObjectType.LOCK, "0011223344556677"), new byte[2000]);
        s.put(ObjectName.of(ObjectType.LOCK, "8899aabbccddeeff"), new byte[1000]);
        assertThat(slept.get()).isEqualTo(2_000_000_000L);
        s.get(ObjectName.of(ObjectType.LOCK, "0011223344556677"));
        assertThat(slept.get()).isEqualTo(2_000_000_000L);
    }
}

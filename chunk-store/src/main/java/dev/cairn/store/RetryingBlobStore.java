package dev.cairn.store;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Retries what a store reports as {@link TransientStoreException} (throttling, server errors, dropped connections,
 * timeouts) with exponential backoff and full jitter: attempt {@code n} waits a random time up to
 * {@code min(maxDelay, initialDelay * 2^n)}. Anything else, and the last attempt's failure, is passed on as it is
 * (the last one as a plain {@link IOException} naming the attempts), so a flaky network slows work down and a
 * permanent error fails it at once.
 *
 * <p>A put whose response was lost may have stored the object; when its retry finds the name taken, the stored
 * bytes are read back and compared, and equal bytes count as success. Everything else keeps the {@link BlobStore}
 * contract of the store it wraps.
 */
public final class RetryingBlobStore implements BlobStore {
    /** How often and how long to retry. */
    public record Policy(int maxAttempts, Duration initialDelay, Duration maxDelay) {
        /** Ten attempts, from 100 ms up to 30 s apart: about two minutes of patience in all. */
        public static final Policy DEFAULT = new Policy(10, Duration.ofMillis(100), Duration.ofSeconds(30));

        public Policy {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("retry attempts must be at least 1, not " + maxAttempts);
            }
            if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
                throw new IllegalArgumentException("retry delays must satisfy 0 <= initial (" + initialDelay
                        + ") <= max (" + maxDelay + ")");
            }
        }
    }

    /** Waits between attempts; tests pass one that records instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    @FunctionalInterface
    private interface Call<T> {
        T run() throws IOException;
    }

    private final BlobStore inner;
    private final Policy policy;
    private final Sleeper sleeper;
    private final LongSupplier random;
    private final AtomicLong retries = new AtomicLong();

    private RetryingBlobStore(BlobStore inner, Policy policy, Sleeper sleeper, LongSupplier random) {
        this.inner = inner;
        this.policy = policy;
        this.sleeper = sleeper;
        this.random = random;
    }

    /** Wraps {@code inner}, sleeping for real between attempts. */
    public static RetryingBlobStore wrap(BlobStore inner, Policy policy) {
        return new RetryingBlobStore(inner, policy, d -> Thread.sleep(d.toMillis()),
                () -> ThreadLocalRandom.current().nextLong(Long.MAX_VALUE));
    }

    /** Wraps {@code inner} with an injected sleeper and source of randomness. */
    public static RetryingBlobStore wrap(BlobStore inner, Policy policy, Sleeper sleeper, LongSupplier random) {
        return new RetryingBlobStore(inner, policy, sleeper, random);
    }

    /** How many attempts were repeated so far. */
    public long retries() {
        return retries.get();
    }

    private <T> T retry(String what, Call<T> call) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.run();
            } catch (TransientStoreException e) {
                if (attempt >= policy.maxAttempts()) {
                    throw new IOException(what + " failed after " + attempt + " attempts: " + e.getMessage(), e);
                }
                backOff(attempt, what);
            }
        }
    }

    private void backOff(int attempt, String what) throws InterruptedIOException {
        long cap = policy.initialDelay().toNanos() << Math.min(attempt - 1, 30);
        cap = Math.min(cap <= 0 ? Long.MAX_VALUE : cap, policy.maxDelay().toNanos());
        long delay = cap <= 0 ? 0 : Math.floorMod(random.getAsLong(), cap + 1);
        retries.incrementAndGet();
        try {
            sleeper.sleep(Duration.ofNanos(delay));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to retry " + what);
        }
    }

    @Override
    public void put(ObjectName name, byte[] content) throws IOException {
        put(name, content, Placement.STANDARD);
    }

    @Override
    public void put(ObjectName name, byte[] content, Placement placement) throws IOException {
        put(name, content, content.length, placement);
    }

    @Override
    public void put(ObjectName name, byte[] content, int length, Placement placement) throws IOException {
        boolean[] tried = {false};
        retry("storing " + name, () -> {
            try {
                inner.put(name, content, length, placement);
                return null;
            } catch (ObjectExistsException exists) {
                if (tried[0] && holds(get(name), content, length)) {
                    return null; // an earlier attempt stored it; its response was lost
                }
                throw exists;
            } catch (TransientStoreException e) {
                tried[0] = true;
                throw e;
            }
        });
    }

    private static boolean holds(byte[] stored, byte[] content, int length) {
        return Arrays.equals(stored, 0, stored.length, content, 0, length);
    }

    @Override
    public byte[] get(ObjectName name) throws IOException {
        return retry("reading " + name, () -> inner.get(name));
    }

    @Override
    public byte[] get(ObjectName name, long offset, int length) throws IOException {
        return retry("reading " + name, () -> inner.get(name, offset, length));
    }

    @Override
    public Optional<ObjectInfo> stat(ObjectName name) throws IOException {
        return retry("checking " + name, () -> inner.stat(name));
    }

    @Override
    public List<ObjectInfo> list(ObjectType type) throws IOException {
        return retry("listing " + type.folder(), () -> inner.list(type));
    }

    @Override
    public void delete(ObjectName name) throws IOException {
        retry("deleting " + name, () -> {
            inner.delete(name);
            return null;
        });
    }

    @Override
    public String location() {
        return inner.location();
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }
}

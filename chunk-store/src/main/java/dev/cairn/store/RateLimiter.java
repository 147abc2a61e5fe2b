package dev.cairn.store;

import java.io.InterruptedIOException;
import java.util.function.LongSupplier;

/**
 * Holds a stream of bytes to a rate: {@link #acquire} returns at once while the caller is within the rate, and
 * otherwise sleeps until the bytes it asks for are due. Shared by threads; the rate is for all of them together.
 * Used to keep a backup's reads from the source and its uploads from starving the storage node's own work.
 */
public final class RateLimiter {
    /** Sleeps; tests pass one that advances a fake clock. */
    @FunctionalInterface
    public interface Sleeper {
        void sleepNanos(long nanos) throws InterruptedException;
    }

    private final double nanosPerByte;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    private long nextFree;

    private RateLimiter(long bytesPerSecond, LongSupplier nanoTime, Sleeper sleeper) {
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("a rate limit must be positive, not " + bytesPerSecond + " bytes/s");
        }
        this.nanosPerByte = 1e9 / bytesPerSecond;
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
        this.nextFree = nanoTime.getAsLong();
    }

    /** A limiter of {@code bytesPerSecond}, on the system's clock. */
    public static RateLimiter of(long bytesPerSecond) {
        return new RateLimiter(bytesPerSecond, System::nanoTime, n -> Thread.sleep(n / 1_000_000, (int) (n % 1_000_000)));
    }

    /** A limiter on an injected clock and sleeper. */
    public static RateLimiter of(long bytesPerSecond, LongSupplier nanoTime, Sleeper sleeper) {
        return new RateLimiter(bytesPerSecond, nanoTime, sleeper);
    }

    /** Waits until {@code bytes} more are within the rate. */
    public void acquire(long bytes) throws InterruptedIOException {
        long wait;
        synchronized (this) {
            long now = nanoTime.getAsLong();
            long start = Math.max(nextFree, now);
            nextFree = start + (long) (bytes * nanosPerByte);
            wait = start - now;
        }
        if (wait > 0) {
            try {
                sleeper.sleepNanos(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while holding to the rate limit");
            }
        }
    }
}

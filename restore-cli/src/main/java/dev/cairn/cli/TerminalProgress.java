package dev.cairn.cli;

import java.util.Locale;

/**
 * A progress line on a terminal: files, bytes, rate, redrawn at most every half second; silent when the output
 * is not a terminal.
 */
final class TerminalProgress implements AutoCloseable {
    private final CliContext ctx;
    private final boolean enabled;
    private final long start = System.nanoTime();
    private long files;
    private long bytes;
    private long read;
    private long lastDraw;
    private long expectedBytes = -1;
    private boolean drawn;
    private final String verb;

    /** A backup's line: files, bytes scanned, bytes read. */
    TerminalProgress(CliContext ctx) {
        this(ctx, null);
    }

    /** A line of files and bytes {@code verb} ("written", say), with rate and time left. */
    TerminalProgress(CliContext ctx, String verb) {
        this.ctx = ctx;
        this.enabled = ctx.interactive();
        this.verb = verb;
    }

    /** The total the run is expected to reach (from the parent snapshot), for an estimate of the time left. */
    synchronized void expect(long bytes) {
        this.expectedBytes = bytes;
    }

    synchronized void add(long files, long bytes, long read) {
        this.files += files;
        this.bytes += bytes;
        this.read += read;
        long now = System.nanoTime();
        if (enabled && now - lastDraw > 500_000_000L) {
            lastDraw = now;
            double secs = Math.max(1e-3, (now - start) / 1e9);
            String eta = "";
            if (expectedBytes > this.bytes && this.bytes > 0) {
                long left = (long) ((expectedBytes - this.bytes) / (this.bytes / secs));
                eta = String.format(Locale.ROOT, ", ETA %d:%02d", left / 60, left % 60);
            }
            if (verb == null) {
                ctx.err().printf(Locale.ROOT, "\r%d files, %s scanned, %s read, %s/s%s   ", this.files,
                        Sizes.bytes(this.bytes), Sizes.bytes(this.read), Sizes.bytes((long) (this.read / secs)), eta);
            } else {
                ctx.err().printf(Locale.ROOT, "\r%d files, %s %s%s, %s/s%s   ", this.files, Sizes.bytes(this.bytes),
                        verb, expectedBytes > 0 ? " of " + Sizes.bytes(expectedBytes) : "",
                        Sizes.bytes((long) (this.bytes / secs)), eta);
            }
            drawn = true;
        }
    }

    synchronized void clear() {
        if (drawn) {
            ctx.err().print("\r\033[K");
            drawn = false;
        }
    }

    @Override
    public void close() {
        clear();
    }
}

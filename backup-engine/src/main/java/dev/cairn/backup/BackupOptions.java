package dev.cairn.backup;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * What to back up and how. {@code time} and {@code host} default to now and this machine's name; {@code parent}
 * (an id or prefix) overrides the automatic choice of the latest snapshot with the same host and paths;
 * {@code force} rereads every file; {@code threads} (default: the processors, at least 2) is the number of threads
 * that read and chunk large files and, as many again, of the sealers that id, compress, encrypt and pack their
 * chunks; it also sets {@link #scanThreads()}, the threads that list directories, {@code lstat} entries and read
 * small files whole.
 */
public record BackupOptions(List<Path> sources, List<String> tags, String host, Instant time, String parent,
        boolean force, Excludes excludes, int threads, long readBytesPerSecond) {
    public BackupOptions {
        if (sources == null || sources.isEmpty()) {
            throw new IllegalArgumentException("nothing to back up: give at least one path");
        }
        sources = sources.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        tags = tags == null ? List.of() : List.copyOf(tags);
        excludes = excludes == null ? Excludes.NONE : excludes;
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("threads " + threads + " is not between 1 and 256");
        }
        if (readBytesPerSecond < 0) {
            throw new IllegalArgumentException("the read limit cannot be negative: " + readBytesPerSecond);
        }
    }

    /** Defaults for {@code sources}. */
    public static BackupOptions of(List<Path> sources) {
        return new BackupOptions(sources, List.of(), null, null, null, false, Excludes.NONE, defaultThreads(), 0);
    }

    /** The processors, at least 2. */
    public static int defaultThreads() {
        return Math.max(2, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Threads that walk the tree: eight per {@code threads}, between 4 and 64. Listing, {@code lstat} and reading
     * small files mostly wait on storage (a cold read of a small file is one I/O), so the scan keeps many reads in
     * flight; the CPU-bound work on large files stays on {@code threads} readers, each holding a chunk buffer, and
     * {@code threads} sealers.
     */
    public int scanThreads() {
        return Math.max(4, Math.min(64, 8 * threads));
    }

    public BackupOptions withTime(Instant t) {
        return new BackupOptions(sources, tags, host, t, parent, force, excludes, threads, readBytesPerSecond);
    }

    public BackupOptions withTags(List<String> t) {
        return new BackupOptions(sources, t, host, time, parent, force, excludes, threads, readBytesPerSecond);
    }

    public BackupOptions withHost(String h) {
        return new BackupOptions(sources, tags, h, time, parent, force, excludes, threads, readBytesPerSecond);
    }

    public BackupOptions withParent(String p) {
        return new BackupOptions(sources, tags, host, time, p, force, excludes, threads, readBytesPerSecond);
    }

    public BackupOptions withForce(boolean f) {
        return new BackupOptions(sources, tags, host, time, parent, f, excludes, threads, readBytesPerSecond);
    }

    public BackupOptions withExcludes(Excludes e) {
        return new BackupOptions(sources, tags, host, time, parent, force, e, threads, readBytesPerSecond);
    }

    public BackupOptions withThreads(int n) {
        return new BackupOptions(sources, tags, host, time, parent, force, excludes, n, readBytesPerSecond);
    }

    /** Holds reads from the sources to {@code bytesPerSecond} (0: no limit). */
    public BackupOptions withReadLimit(long bytesPerSecond) {
        return new BackupOptions(sources, tags, host, time, parent, force, excludes, threads, bytesPerSecond);
    }
}

package dev.cairn.store.chunker;

/**
 * FastCDC parameters: minimum, average and maximum chunk size in bytes and the normalization level.
 * Built only through {@link #of}, which names any bad value.
 */
public record ChunkerParams(int minSize, int avgSize, int maxSize, int normalization) {
    /** cairn's defaults: 512 KiB / 1 MiB / 8 MiB, normalization level 1. */
    public static final ChunkerParams DEFAULT = of(512 * 1024, 1024 * 1024, 8 * 1024 * 1024, 1);

    /** Smallest allowed minimum chunk size. */
    public static final int MIN_SIZE_LOWER_BOUND = 64;
    /** Largest allowed maximum chunk size (the pack format stores lengths as 32-bit values). */
    public static final int MAX_SIZE_UPPER_BOUND = 256 * 1024 * 1024;

    public ChunkerParams {
        if (minSize < MIN_SIZE_LOWER_BOUND) {
            throw new IllegalArgumentException("chunker min size " + minSize + " is below " + MIN_SIZE_LOWER_BOUND);
        }
        if (avgSize < minSize) {
            throw new IllegalArgumentException("chunker avg size " + avgSize + " is below min size " + minSize);
        }
        if (maxSize < avgSize) {
            throw new IllegalArgumentException("chunker max size " + maxSize + " is below avg size " + avgSize);
        }
        if (maxSize > MAX_SIZE_UPPER_BOUND) {
            throw new IllegalArgumentException("chunker max size " + maxSize + " is above " + MAX_SIZE_UPPER_BOUND);
        }
        if (normalization < 0 || normalization > 3) {
            throw new IllegalArgumentException("chunker normalization level " + normalization + " is not 0..3");
        }
        int bits = bits(avgSize);
        if (bits - normalization < FastCdc.MIN_MASK_BITS || bits + normalization > FastCdc.MAX_MASK_BITS) {
            throw new IllegalArgumentException("chunker avg size " + avgSize + " with normalization " + normalization
                    + " needs mask bits outside " + FastCdc.MIN_MASK_BITS + ".." + FastCdc.MAX_MASK_BITS);
        }
    }

    /** Validated parameters. */
    public static ChunkerParams of(int minSize, int avgSize, int maxSize, int normalization) {
        return new ChunkerParams(minSize, avgSize, maxSize, normalization);
    }

    /** {@code round(log2(avgSize))}, the number of mask bits at the average. */
    int bits() {
        return bits(avgSize);
    }

    private static int bits(int avg) {
        return (int) Math.round(Math.log(avg) / Math.log(2));
    }
}

package dev.cairn.store.codec;

/**
 * The compression setting of a repository: {@code zstd} at a level, or {@code off}. Validated on creation.
 */
public record Compression(boolean enabled, int level) {
    /** zstd level 3. */
    public static final Compression DEFAULT = new Compression(true, 3);
    /** No compression. */
    public static final Compression OFF = new Compression(false, 0);

    public Compression {
        if (enabled && (level < 1 || level > 22)) {
            throw new IllegalArgumentException("zstd level " + level + " is not 1..22");
        }
    }

    /** Parses {@code off}, {@code auto} (level 3), a level {@code 1..22} or {@code zstd:LEVEL}. */
    public static Compression parse(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("off") || t.equals("none")) {
            return OFF;
        }
        if (t.equals("auto") || t.equals("zstd")) {
            return DEFAULT;
        }
        if (t.startsWith("zstd:")) {
            t = t.substring(5);
        }
        try {
            return new Compression(true, Integer.parseInt(t));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("compression '" + text + "' is not off, auto, zstd:LEVEL or a level 1..22");
        }
    }

    @Override
    public String toString() {
        return enabled ? "zstd:" + level : "off";
    }
}

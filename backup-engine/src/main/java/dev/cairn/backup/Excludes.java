package dev.cairn.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * What a backup leaves out. A glob pattern without {@code /} matches an entry's name anywhere in the tree
 * ({@code *.tmp}, {@code node_modules}); a pattern with {@code /} matches the entry's absolute path
 * ({@code /srv/data/cache/**}). {@code --exclude-if-present NAME} leaves out every directory that holds an entry
 * called NAME; {@code --one-file-system} keeps other filesystems' mount points as empty directories.
 */
public record Excludes(List<String> patterns, List<String> ifPresent, boolean oneFileSystem) {
    /** Nothing excluded. */
    public static final Excludes NONE = new Excludes(List.of(), List.of(), false);

    public Excludes {
        patterns = List.copyOf(patterns);
        ifPresent = List.copyOf(ifPresent);
        for (String p : patterns) {
            try {
                FileSystems.getDefault().getPathMatcher("glob:" + p);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("exclude pattern '" + p + "' is not a valid glob: " + e.getMessage());
            }
        }
        for (String n : ifPresent) {
            if (n.isEmpty() || n.contains("/")) {
                throw new IllegalArgumentException("--exclude-if-present takes a file name, not '" + n + "'");
            }
        }
    }

    /** Patterns from a file: one per line, blank lines and lines starting with {@code #} ignored. */
    public static List<String> readPatternFile(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
                out.add(t);
            }
        }
        return out;
    }

    /** A matcher for these patterns; not thread-safe to build, safe to use. */
    Matcher matcher() {
        return matcher(patterns);
    }

    /**
     * A matcher for glob {@code patterns} with the rules above: a pattern without {@code /} matches a name, one
     * with {@code /} the whole absolute path. The restore path uses it for {@code --include} and {@code --exclude}.
     *
     * @throws IllegalArgumentException naming the first pattern that is not a valid glob
     */
    public static Matcher matcher(List<String> patterns) {
        List<PathMatcher> byName = new ArrayList<>();
        List<PathMatcher> byPath = new ArrayList<>();
        for (String p : patterns) {
            PathMatcher m;
            try {
                m = FileSystems.getDefault().getPathMatcher("glob:" + p);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("pattern '" + p + "' is not a valid glob: " + e.getMessage());
            }
            (p.contains("/") ? byPath : byName).add(m);
        }
        return new Matcher(byName, byPath);
    }

    /** Tests entries against the patterns. */
    public static final class Matcher {
        private final List<PathMatcher> byName;
        private final List<PathMatcher> byPath;

        Matcher(List<PathMatcher> byName, List<PathMatcher> byPath) {
            this.byName = byName;
            this.byPath = byPath;
        }

        public boolean isEmpty() {
            return byName.isEmpty() && byPath.isEmpty();
        }

        /** Whether {@code absolute} or its name matches one of the patterns. */
        public boolean matches(Path absolute) {
            if (!byName.isEmpty()) {
                Path name = absolute.getFileName();
                for (PathMatcher m : byName) {
                    if (name != null && m.matches(name)) {
                        return true;
                    }
                }
            }
            for (PathMatcher m : byPath) {
                if (m.matches(absolute)) {
                    return true;
                }
            }
            return false;
        }
    }
}

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
        List<PathMatcher> byName = new ArrayList<>();
        List<PathMatcher> byPath = new ArrayList<>();
        for (String p : patterns) {
            PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + p);
            (p.contains("/") ? byPath : byName).add(m);
        }
        return new Matcher(byName, byPath);
    }

    /** Tests entries against the patterns. */
    static final class Matcher {
        private final List<PathMatcher> byName;
        private final List<PathMatcher> byPath;

        Matcher(List<PathMatcher> byName, List<PathMatcher> byPath) {
            this.byName = byName;
            this.byPath = byPath;
        }

        boolean isEmpty() {
            return byName.isEmpty() && byPath.isEmpty();
        }

        boolean excluded(Path absolute) {
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

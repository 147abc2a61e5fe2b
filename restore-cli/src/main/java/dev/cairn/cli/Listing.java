package dev.cairn.cli;

import dev.cairn.catalog.model.Node;
import dev.cairn.catalog.model.NodeType;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** How entries of a snapshot are printed by {@code ls}, {@code find} and {@code diff}: short, long, JSON. */
final class Listing {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    private Listing() {
    }

    /** {@code ls -l} style: mode, owner, group, size, mtime, path (and a symlink's target). */
    static String longLine(String path, Node n) {
        String owner = n.user() != null && !n.user().isEmpty() ? n.user() : Integer.toString(n.uid());
        String group = n.group() != null && !n.group().isEmpty() ? n.group() : Integer.toString(n.gid());
        String line = String.format(Locale.ROOT, "%s %-8s %-8s %12d %s %s", modeString(n), owner, group, n.size(),
                TIME.format(time(n.mtimeNanos())), path);
        return n.type() == NodeType.SYMLINK ? line + " -> " + n.linkTarget() : line;
    }

    /** The entry as a JSON-ready map. */
    static Map<String, Object> json(String path, Node n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", path);
        m.put("type", n.type().name().toLowerCase(Locale.ROOT));
        m.put("mode", String.format("%04o", n.mode()));
        m.put("uid", n.uid());
        m.put("gid", n.gid());
        if (n.user() != null) {
            m.put("user", n.user());
        }
        if (n.group() != null) {
            m.put("group", n.group());
        }
        m.put("size", n.size());
        m.put("mtime", time(n.mtimeNanos()).toString());
        m.put("inode", n.inode());
        m.put("links", n.links());
        if (n.linkTarget() != null) {
            m.put("target", n.linkTarget().toString());
        }
        if (n.type() == NodeType.FILE) {
            m.put("chunks", n.content().size());
        }
        return m;
    }

    static Instant time(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    /** {@code drwxr-xr-x}, with setuid, setgid and sticky as {@code ls} shows them. */
    static String modeString(Node n) {
        char t = switch (n.type()) {
            case DIRECTORY -> 'd';
            case SYMLINK -> 'l';
            case FIFO -> 'p';
            case SOCKET -> 's';
            case CHAR_DEVICE -> 'c';
            case BLOCK_DEVICE -> 'b';
            default -> '-';
        };
        int m = n.mode();
        StringBuilder sb = new StringBuilder().append(t);
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            sb.append((m & (1 << (8 - i))) != 0 ? rwx.charAt(i) : '-');
        }
        special(sb, 3, (m & 04000) != 0, 's');
        special(sb, 6, (m & 02000) != 0, 's');
        special(sb, 9, (m & 01000) != 0, 't');
        return sb.toString();
    }

    private static void special(StringBuilder sb, int at, boolean set, char c) {
        if (set) {
            sb.setCharAt(at, sb.charAt(at) == '-' ? Character.toUpperCase(c) : c);
        }
    }
}

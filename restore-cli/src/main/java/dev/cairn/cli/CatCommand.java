package dev.cairn.cli;

import dev.cairn.catalog.MetadataReader;
import dev.cairn.catalog.model.MetadataCodec;
import dev.cairn.catalog.model.Node;
import dev.cairn.catalog.model.Tree;
import dev.cairn.store.BlobId;
import dev.cairn.store.ObjectInfo;
import dev.cairn.store.ObjectName;
import dev.cairn.store.ObjectType;
import dev.cairn.store.codec.BlobCodec;
import dev.cairn.store.pack.IndexEntry;
import dev.cairn.store.pack.IndexFile;
import dev.cairn.store.pack.PackReader;
import dev.cairn.store.pack.PackedBlob;
import dev.cairn.store.repo.RepositoryException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "cat", description = {"Print a repository object, decrypted, as JSON.",
    "config: the repository's configuration; snapshot ID: a snapshot manifest; tree ID: a directory listing (a blob"
        + " id, or SNAPSHOT:PATH); index ID: an index file; pack-header ID: the blobs a pack holds."},
        footer = {"", "Examples:", "  cairn cat config", "  cairn cat snapshot latest", "  cairn cat tree latest:/data",
            "  cairn cat index 3b0c", "  cairn cat pack-header 91ad5e"})
final class CatCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Parameters(index = "0", paramLabel = "KIND", description = "config, snapshot, tree, index or pack-header.")
    String kind;

    @Parameters(index = "1", arity = "0..1", paramLabel = "ID", description = "Object id or unique prefix.")
    String id;

    @Override
    public Integer call() throws Exception {
        CliContext ctx = root.ctx;
        if (!List.of("config", "snapshot", "tree", "index", "pack-header").contains(kind)) {
            throw new IllegalArgumentException("cat takes config, snapshot, tree, index or pack-header, not '" + kind
                    + "'");
        }
        if (!kind.equals("config") && id == null) {
            throw new IllegalArgumentException("cat " + kind + " needs an ID");
        }
        if (kind.equals("config")) {
            try (var store = root.repo.store(ctx)) {
                ctx.out().println(new String(store.get(ObjectName.CONFIG), StandardCharsets.UTF_8).strip());
            }
            return Cairn.EXIT_OK;
        }
        try (ReadSession s = ReadSession.open(root)) {
            switch (kind) {
                case "snapshot" -> {
                    MetadataReader.SnapshotRef ref = s.reader.resolve(id);
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", ref.id());
                    m.putAll(MetadataCodec.toMap(ref.snapshot()));
                    m.put("tree", ref.snapshot().tree().hex());
                    ctx.out().println(MetadataCodec.toJson(m));
                }
                case "tree" -> ctx.out().println(MetadataCodec.toJson(tree(s, id)));
                case "index" -> {
                    ObjectName name = unique(s, ObjectType.INDEX, id);
                    List<Map<String, Object>> blobs = new ArrayList<>();
                    try (BlobCodec codec = s.repo.newCodec()) {
                        for (IndexEntry e : IndexFile.load(s.repo.store(), codec, name)) {
                            Map<String, Object> m = blob(e.blob());
                            m.put("pack", e.pack().hex());
                            blobs.add(m);
                        }
                    }
                    ctx.out().println(MetadataCodec.toJson(Map.of("id", name.id(), "blobs", blobs)));
                }
                default -> {
                    ObjectName name = unique(s, ObjectType.DATA, id);
                    ObjectInfo info = s.repo.store().stat(name).orElseThrow();
                    List<Map<String, Object>> blobs = new ArrayList<>();
                    try (BlobCodec codec = s.repo.newCodec()) {
                        for (PackedBlob b : PackReader.readHeader(s.repo.store(), info, codec)) {
                            blobs.add(blob(b));
                        }
                    }
                    ctx.out().println(MetadataCodec.toJson(Map.of("id", name.id(), "size", info.size(),
                            "blobs", blobs)));
                }
            }
        }
        return Cairn.EXIT_OK;
    }

    private static Map<String, Object> tree(ReadSession s, String spec) throws Exception {
        BlobId treeId;
        String path = null;
        int colon = spec.indexOf(':');
        if (colon >= 0 || spec.equals("latest") || spec.length() < 64) {
            String snap = colon < 0 ? spec : spec.substring(0, colon);
            path = colon < 0 ? "/" : spec.substring(colon + 1);
            MetadataReader.SnapshotRef ref = s.reader.resolve(snap);
            var at = new dev.cairn.restore.SnapshotTree(s.reader).locate(ref.snapshot().tree(), path);
            if (!at.isDirectory()) {
                throw new IllegalArgumentException(at.path() + " is not a directory");
            }
            treeId = at.tree();
            path = at.path();
        } else {
            try {
                treeId = BlobId.parse(spec);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + spec + "' is neither a tree id nor SNAPSHOT:PATH");
            }
        }
        Tree t = s.reader.tree(treeId);
        List<Map<String, Object>> nodes = new ArrayList<>();
        for (Node n : t.nodes()) {
            Map<String, Object> m = Listing.json(n.name().toString(), n);
            m.remove("path");
            m.put("name", n.name().toString());
            m.put("mtime_ns", n.mtimeNanos());
            m.put("ctime_ns", n.ctimeNanos());
            if (n.subtree() != null) {
                m.put("subtree", n.subtree().hex());
            }
            if (n.content() != null && !n.content().isEmpty()) {
                m.put("content", n.content().stream().map(BlobId::hex).toList());
            }
            nodes.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", treeId.hex());
        if (path != null) {
            out.put("path", path);
        }
        out.put("nodes", nodes);
        return out;
    }

    private static Map<String, Object> blob(PackedBlob b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", b.type().name().toLowerCase(Locale.ROOT));
        m.put("id", b.id().hex());
        m.put("offset", b.offset());
        m.put("length", b.length());
        m.put("raw_length", b.rawLength());
        return m;
    }

    private static ObjectName unique(ReadSession s, ObjectType type, String prefix) throws Exception {
        if (!prefix.matches("[0-9a-f]{1,64}")) {
            throw new IllegalArgumentException("'" + prefix + "' is not an object id (hex digits)");
        }
        List<ObjectName> matches = new ArrayList<>();
        for (ObjectInfo o : s.repo.store().list(type)) {
            if (o.name().id().startsWith(prefix)) {
                matches.add(o.name());
            }
        }
        String what = type == ObjectType.DATA ? "pack" : "index file";
        if (matches.isEmpty()) {
            throw new RepositoryException("no " + what + " " + prefix + " in " + s.repo.store().location());
        }
        if (matches.size() > 1) {
            throw new RepositoryException(what + " id " + prefix + " is ambiguous: " + matches.size()
                    + " objects start with it");
        }
        return matches.get(0);
    }
}

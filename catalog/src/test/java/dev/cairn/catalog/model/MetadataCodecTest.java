package dev.cairn.catalog.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.store.BlobId;
import dev.cairn.store.CorruptObjectException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class MetadataCodecTest {
    static BlobId id(Random r) {
        byte[] b = new byte[32];
        r.nextBytes(b);
        return BlobId.of(b);
    }

    static Node randomNode(Random r, int i) {
        NodeType type = NodeType.values()[r.nextInt(NodeType.values().length)];
        byte[] name = new byte[1 + r.nextInt(20)];
        r.nextBytes(name);
        name[0] = (byte) i; // unique per index
        List<BlobId> content = new ArrayList<>();
        if (type == NodeType.FILE) {
            for (int k = r.nextInt(4); k > 0; k--) {
                content.add(id(r));
            }
        }
        List<Xattr> xattrs = r.nextBoolean() ? List.of(new Xattr("user.a", new byte[] {1, 2})) : null;
        return new Node(FileName.of(name), type, r.nextInt(07777), r.nextInt(70000), r.nextInt(70000), "u", "g",
                r.nextLong() & Long.MAX_VALUE, r.nextLong(), r.nextLong(), r.nextLong(), r.nextLong(), r.nextLong(),
                1 + r.nextInt(5), type == NodeType.SYMLINK ? FileName.of("target/" + i) : null, r.nextInt(1000),
                xattrs, content, type == NodeType.DIRECTORY ? id(r) : null);
    }

    @Property(tries = 50)
    void treesRoundTripAndEncodeDeterministically(@ForAll long seed, @ForAll @IntRange(max = 60) int size)
            throws CorruptObjectException {
        Random r = new Random(seed);
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            nodes.add(randomNode(r, i));
        }
        Tree tree = new Tree(nodes);
        byte[] bytes = MetadataCodec.encodeTree(tree);
        Tree back = MetadataCodec.decodeTree(bytes, "t");
        assertThat(back).isEqualTo(tree);
        Collections.shuffle(nodes, r);
        assertThat(MetadataCodec.encodeTree(new Tree(nodes))).isEqualTo(bytes);
        assertThat(MetadataCodec.encodeTree(back)).isEqualTo(bytes);
    }

    @Test
    void treeEntriesAreSortedByUnsignedBytesAndUnique() {
        Node a = randomNode(new Random(1), 'a');
        Node high = randomNode(new Random(2), 0xC3);
        Tree t = new Tree(List.of(high, a));
        assertThat(t.nodes()).containsExactly(a, high);
        assertThat(t.find(high.name())).isEqualTo(high);
        assertThat(t.find(FileName.of("zzz"))).isNull();
        assertThatThrownBy(() -> new Tree(List.of(a, a))).hasMessageContaining("two entries named");
    }

    @Test
    void snapshotsRoundTripWithNanosecondTime() throws CorruptObjectException {
        Random r = new Random(3);
        Snapshot s = new Snapshot(1, Instant.parse("2026-03-29T01:30:00.123456789Z"), "node1", "root",
                List.of("/srv/a", "/srv/b"), List.of("nightly"), "ab".repeat(32), id(r),
                new BackupSummary(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 0, 1.5));
        Snapshot back = MetadataCodec.decodeSnapshot(MetadataCodec.encodeSnapshot(s), "s");
        assertThat(back).isEqualTo(s);
        assertThat(MetadataCodec.toJson(s)).contains("\"time\" : \"2026-03-29T01:30:00.123456789Z\"")
                .contains("\"files_new\" : 1");
    }

    @Test
    void treesAreStandardCborAndUnknownKeysAreSkipped() throws Exception {
        Tree tree = new Tree(List.of(randomNode(new Random(4), 1), randomNode(new Random(5), 2)));
        com.fasterxml.jackson.databind.ObjectMapper cbor =
                new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.cbor.CBORFactory());
        com.fasterxml.jackson.databind.JsonNode generic = cbor.readTree(MetadataCodec.encodeTree(tree));
        assertThat(generic.get("nodes")).hasSize(2);
        assertThat(generic.get("nodes").get(0).get("name").binaryValue()).isEqualTo(tree.nodes().get(0).name().bytes());
        ((com.fasterxml.jackson.databind.node.ObjectNode) generic.get("nodes").get(0)).put("future_field", "x");
        ((com.fasterxml.jackson.databind.node.ObjectNode) generic).putArray("future_list").add(1);
        assertThat(MetadataCodec.decodeTree(cbor.writeValueAsBytes(generic), "t")).isEqualTo(tree);
    }

    @Test
    void keysInAnotherOrderDecodeTheSame() throws Exception {
        Random r = new Random(6);
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            nodes.add(randomNode(r, i));
        }
        Tree tree = new Tree(nodes);
        com.fasterxml.jackson.databind.ObjectMapper cbor =
                new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.cbor.CBORFactory());
        com.fasterxml.jackson.databind.JsonNode generic = cbor.readTree(MetadataCodec.encodeTree(tree));
        com.fasterxml.jackson.databind.node.ArrayNode shuffled = cbor.createArrayNode();
        for (com.fasterxml.jackson.databind.JsonNode n : generic.get("nodes")) {
            List<String> names = new ArrayList<>();
            n.fieldNames().forEachRemaining(names::add);
            Collections.shuffle(names, r);
            com.fasterxml.jackson.databind.node.ObjectNode o = cbor.createObjectNode();
            for (String k : names) {
                o.set(k, n.get(k));
            }
            shuffled.add(o);
        }
        ((com.fasterxml.jackson.databind.node.ObjectNode) generic).set("nodes", shuffled);
        byte[] reordered = cbor.writeValueAsBytes(generic);
        assertThat(reordered).isNotEqualTo(MetadataCodec.encodeTree(tree));
        assertThat(MetadataCodec.decodeTree(reordered, "t")).isEqualTo(tree);
    }

    @Test
    void garbageIsReportedAsCorrupted() {
        assertThatThrownBy(() -> MetadataCodec.decodeTree(new byte[] {1, 2, 3}, "tree 1234"))
                .isInstanceOf(CorruptObjectException.class).hasMessageStartingWith("tree 1234 is corrupted");
    }
}

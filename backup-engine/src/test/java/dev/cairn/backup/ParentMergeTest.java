package dev.cairn.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.catalog.model.FileName;
import dev.cairn.catalog.model.Node;
import dev.cairn.catalog.model.NodeType;
import dev.cairn.catalog.model.Tree;
import dev.cairn.store.BlobId;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParentMergeTest {
    static Node file(String name, long size, long mtime, long atime) {
        return new Node(FileName.of(name), NodeType.FILE, 0644, 1, 1, "u", "g", size, mtime, atime, 7, 42, 1, 1, null,
                0, null, List.of(BlobId.of(new byte[32])), null);
    }

    @Test
    void walkFindsParentEntriesInStepWithTheListing() {
        Tree parent = new Tree(List.of(file("a", 1, 1, 1), file("c", 1, 1, 1), file("e", 1, 1, 1)));
        ParentMerge.Walk w = new ParentMerge.Walk(parent);
        assertThat(w.find(FileName.of("0"))).isNull();
        assertThat(w.find(FileName.of("a")).name()).isEqualTo(FileName.of("a"));
        assertThat(w.find(FileName.of("b"))).isNull();
        assertThat(w.find(FileName.of("c")).name()).isEqualTo(FileName.of("c"));
        assertThat(w.find(FileName.of("d"))).isNull();
        assertThat(w.find(FileName.of("e")).name()).isEqualTo(FileName.of("e"));
        assertThat(w.find(FileName.of("f"))).isNull();
        assertThat(new ParentMerge.Walk(null).find(FileName.of("a"))).isNull();
    }

    @Test
    void anUnchangedFileKeepsItsParentNodeWhenOnlyAtimeMoved() {
        Node before = file("a", 10, 5, 1);
        Node now = new Node(FileName.of("a"), NodeType.FILE, 0644, 1, 1, "u", "g", 10, 5, 2, 7, 42, 1, 1, null, 0, null,
                null, null);
        assertThat(ParentMerge.contentUnchanged(before, now)).isTrue();
        assertThat(ParentMerge.unchangedFile(before, now)).isSameAs(before);
        Node chmodded = new Node(FileName.of("a"), NodeType.FILE, 0600, 1, 1, "u", "g", 10, 5, 2, 7, 42, 1, 1, null, 0,
                null, null, null);
        Node kept = ParentMerge.unchangedFile(before, chmodded);
        assertThat(kept.mode()).isEqualTo(0600);
        assertThat(kept.content()).isEqualTo(before.content());
        assertThat(ParentMerge.contentUnchanged(before, file("a", 11, 5, 2))).isFalse();
        assertThat(ParentMerge.contentUnchanged(null, now)).isFalse();
    }
}

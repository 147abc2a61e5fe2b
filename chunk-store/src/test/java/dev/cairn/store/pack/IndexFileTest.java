package dev.cairn.store.pack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import dev.cairn.store.BlobId;
import dev.cairn.store.CorruptObjectException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IndexFileTest {
    static BlobId randomId(Random r) {
        byte[] b = new byte[BlobId.LENGTH];
        r.nextBytes(b);
        return BlobId.of(b);
    }

    /** Entries of several packs, interleaved, with lengths and offsets from one byte to past 32 bits. */
    static List<IndexEntry> entries(Random r, int count) {
        List<BlobId> packs = List.of(randomId(r), randomId(r), randomId(r));
        List<IndexEntry> out = new ArrayList<>();
        long[] offsets = {0, 255, 70_000, 4_000_000_000L};
        for (int i = 0; i < count; i++) {
            int len = 1 + r.nextInt(i % 3 == 0 ? 100 : 10_000_000);
            out.add(new IndexEntry(packs.get(r.nextInt(packs.size())), new PackedBlob(
                    i % 4 == 0 ? BlobType.TREE : BlobType.DATA, randomId(r), offsets[i % 4] + r.nextInt(1000), len,
                    r.nextInt(3) == 0 ? 0 : len + r.nextInt(1 << 20))));
        }
        return out;
    }

    /** The file's schema as documented, serialized by Jackson from the records. */
    static byte[] reference(List<IndexEntry> entries) throws Exception {
        Map<BlobId, List<IndexFile.Blob>> byPack = new LinkedHashMap<>();
        for (IndexEntry e : entries) {
            PackedBlob b = e.blob();
            byPack.computeIfAbsent(e.pack(), k -> new ArrayList<>())
                    .add(new IndexFile.Blob(b.type().code(), b.id().bytes(), b.offset(), b.length(), b.rawLength()));
        }
        List<IndexFile.Pack> packs = new ArrayList<>();
        byPack.forEach((id, blobs) -> packs.add(new IndexFile.Pack(id.bytes(), blobs)));
        return new ObjectMapper(new CBORFactory()).writeValueAsBytes(new IndexFile.Doc(IndexFile.VERSION, packs));
    }

    @Test
    void streamedEncodingIsTheSchemasBytesAndDecodesBack() throws Exception {
        Random r = new Random(11);
        for (int count : new int[] {1, 2, 17, 5000}) {
            List<IndexEntry> entries = entries(r, count);
            byte[] encoded = IndexFile.encode(entries);
            assertThat(encoded).isEqualTo(reference(entries));
            List<IndexEntry> decoded = IndexFile.decode(encoded, "index");
            // Decoded grouped by pack, in the order packs first appear.
            Map<BlobId, List<IndexEntry>> grouped = new LinkedHashMap<>();
            entries.forEach(e -> grouped.computeIfAbsent(e.pack(), k -> new ArrayList<>()).add(e));
            assertThat(decoded).containsExactlyElementsOf(grouped.values().stream().flatMap(List::stream).toList());
        }
    }

    @Test
    void anEmptyIndexEncodesAndDecodes() throws CorruptObjectException, Exception {
        assertThat(IndexFile.encode(List.of())).isEqualTo(reference(List.of()));
        assertThat(IndexFile.decode(IndexFile.encode(List.of()), "index")).isEmpty();
    }
}

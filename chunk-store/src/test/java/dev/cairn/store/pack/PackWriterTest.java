package dev.cairn.store.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.store.BlobId;
import dev.cairn.store.BlobStore;
import dev.cairn.store.CorruptObjectException;
import dev.cairn.store.LocalDirectoryBlobStore;
import dev.cairn.store.ObjectInfo;
import dev.cairn.store.ObjectName;
import dev.cairn.store.ObjectType;
import dev.cairn.store.codec.BlobCodec;
import dev.cairn.store.codec.ChunkIdHasher;
import dev.cairn.store.codec.Compression;
import dev.cairn.store.codec.MasterKey;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackWriterTest {
    static final MasterKey KEY = MasterKey.random(new SecureRandom(), true);

    @TempDir
    Path dir;

    static byte[] blob(int i, int size) {
        byte[] b = new byte[size];
        Random r = new Random(i);
        for (int k = 0; k < size; k++) {
            b[k] = (byte) (r.nextInt(4) == 0 ? r.nextInt() : 'x');
        }
        return b;
    }

    @Test
    void finishedPackParsesBackAndReadsFromTheStore() throws IOException {
        BlobStore store = LocalDirectoryBlobStore.at(dir);
        ChunkIdHasher h = KEY.newIdHasher();
        try (BlobCodec codec = KEY.newCodec(Compression.DEFAULT)) {
            PackWriter w = new PackWriter(codec, 1024);
            Map<BlobId, byte[]> content = new HashMap<>();
            for (int i = 0; i < 50; i++) {
                byte[] b = blob(i, 1000 + i * 97);
                BlobId id = h.id(b, 0, b.length);
                content.put(id, b);
                w.add(i % 5 == 0 ? BlobType.TREE : BlobType.DATA, id, b, 0, b.length);
            }
            PackWriter.FinishedPack p = w.finish();
            assertThat(w.isEmpty()).isTrue();
            assertThat(p.blobs()).hasSize(50);
            assertThat(PackReader.parse(p.bytes(), codec, "p")).isEqualTo(p.blobs());
            ObjectName name = ObjectName.of(ObjectType.DATA, p.id().hex());
            store.put(name, p.bytes());
            List<PackedBlob> header = PackReader.readHeader(store, store.stat(name).orElseThrow(), codec);
            assertThat(header).isEqualTo(p.blobs());
            for (PackedBlob b : header) {
                assertThat(SealedObjects.loadBlob(store, codec, new IndexEntry(p.id(), b))).isEqualTo(content.get(b.id()));
            }
        }
    }

    @Test
    void theHeaderCheckRefusesAnyOtherListOfBlobs() throws IOException {
        ChunkIdHasher h = KEY.newIdHasher();
        try (BlobCodec codec = KEY.newCodec(Compression.DEFAULT)) {
            PackWriter w = new PackWriter(codec, 1024);
            for (int i = 0; i < 5; i++) {
                byte[] b = blob(i, 500 + i);
                w.add(BlobType.DATA, h.id(b, 0, b.length), b, 0, b.length);
            }
            PackWriter.FinishedPack p = w.finish();
            List<PackedBlob> ok = p.blobs();
            PackReader.checkHeader(p.buffer(), p.length(), codec, ok, "pack");
            PackedBlob first = ok.get(0);
            int len = first.length();
            int raw = first.rawLength();
            List<List<PackedBlob>> wrong = List.of(
                    ok.subList(0, 4),
                    concat(ok, new PackedBlob(BlobType.DATA, first.id(), 0, 1, 1)),
                    replaceFirst(ok, new PackedBlob(BlobType.TREE, first.id(), 0, len, raw)),
                    replaceFirst(ok, new PackedBlob(BlobType.DATA, ok.get(1).id(), 0, len, raw)),
                    replaceFirst(ok, new PackedBlob(BlobType.DATA, first.id(), 0, len, raw + 1)));
            for (List<PackedBlob> other : wrong) {
                assertThatThrownBy(() -> PackReader.checkHeader(p.buffer(), p.length(), codec, other, "pack"))
                        .isInstanceOf(CorruptObjectException.class);
            }
            byte[] damaged = p.bytes();
            damaged[p.length() - 10] ^= 1;
            assertThatThrownBy(() -> PackReader.checkHeader(damaged, damaged.length, codec, ok, "pack"))
                    .isInstanceOf(CorruptObjectException.class).hasMessageContaining("header");
        }
    }

    static List<PackedBlob> concat(List<PackedBlob> l, PackedBlob b) {
        List<PackedBlob> out = new ArrayList<>(l);
        out.add(b);
        return out;
    }

    static List<PackedBlob> replaceFirst(List<PackedBlob> l, PackedBlob b) {
        List<PackedBlob> out = new ArrayList<>(l);
        out.set(0, b);
        return out;
    }

    @Test
    void aFinishedPackIsTheWritersBufferUntilItsNextUse() throws IOException {
        BlobStore store = LocalDirectoryBlobStore.at(dir);
        ChunkIdHasher h = KEY.newIdHasher();
        try (BlobCodec codec = KEY.newCodec(Compression.DEFAULT)) {
            PackWriter w = PackWriter.forTarget(codec, 64 * 1024, 1000);
            List<PackWriter.FinishedPack> stored = new java.util.ArrayList<>();
            for (int pack = 0; pack < 3; pack++) {
                for (int i = 0; i < 20; i++) {
                    byte[] b = blob(pack * 100 + i, 3000 + i);
                    w.add(BlobType.DATA, h.id(b, 0, b.length), b, 0, b.length);
                }
                PackWriter.FinishedPack p = w.finish();
                assertThat(p.buffer().length).isGreaterThanOrEqualTo(p.length());
                byte[] copy = p.bytes();
                assertThat(copy).hasSize(p.length());
                assertThat(BlobId.of(PackWriter.sha256(copy))).isEqualTo(p.id());
                // Stored straight from the buffer: the object is the pack, not the buffer.
                ObjectName name = ObjectName.of(ObjectType.DATA, p.id().hex());
                store.put(name, p.buffer(), p.length(), dev.cairn.store.Placement.BULK);
                assertThat(store.get(name)).isEqualTo(copy);
                assertThat(PackReader.readHeader(store, store.stat(name).orElseThrow(), codec)).isEqualTo(p.blobs());
                stored.add(p);
            }
            // One buffer, reused: each pack is valid only until the writer's next use.
            assertThat(stored.get(1).buffer()).isSameAs(stored.get(2).buffer());
            assertThat(stored).extracting(PackWriter.FinishedPack::id).doesNotHaveDuplicates();
        }
    }

    @Test
    void largeHeadersTakeASecondRead() throws IOException {
        BlobStore store = LocalDirectoryBlobStore.at(dir);
        ChunkIdHasher h = KEY.newIdHasher();
        try (BlobCodec codec = KEY.newCodec(Compression.DEFAULT)) {
            PackWriter w = new PackWriter(codec, 1024);
            for (int i = 0; i < 3000; i++) {
                byte[] b = blob(i, 20);
                w.add(BlobType.DATA, h.id(b, 0, b.length), b, 0, b.length);
            }
            PackWriter.FinishedPack p = w.finish();
            ObjectName name = ObjectName.of(ObjectType.DATA, p.id().hex());
            store.put(name, p.bytes());
            assertThat(PackReader.readHeader(store, store.stat(name).orElseThrow(), codec)).isEqualTo(p.blobs());
        }
    }

    @Test
    void truncatedOrDamagedPacksAreReportedAsCorrupted() throws IOException {
        BlobStore store = LocalDirectoryBlobStore.at(dir);
        try (BlobCodec codec = KEY.newCodec(Compression.DEFAULT)) {
            PackWriter w = new PackWriter(codec, 1024);
            byte[] b = blob(1, 5000);
            BlobId id = KEY.newIdHasher().id(b, 0, b.length);
            w.add(BlobType.DATA, id, b, 0, b.length);
            PackWriter.FinishedPack p = w.finish();
            byte[] truncated = java.util.Arrays.copyOf(p.bytes(), p.bytes().length - 10);
            assertThatThrownBy(() -> PackReader.parse(truncated, codec, "pack x"))
                    .isInstanceOf(CorruptObjectException.class).hasMessageStartingWith("pack x");
            byte[] damaged = p.bytes().clone();
            damaged[100] ^= 1;
            ObjectName name = ObjectName.of(ObjectType.DATA, p.id().hex());
            store.put(name, damaged);
            PackedBlob entry = PackReader.readHeader(store, store.stat(name).orElseThrow(), codec).get(0);
            assertThatThrownBy(() -> SealedObjects.loadBlob(store, codec, new IndexEntry(p.id(), entry)))
                    .isInstanceOf(CorruptObjectException.class).hasMessageContaining("authentication failed");
            ObjectName tiny = ObjectName.of(ObjectType.DATA, "ab".repeat(32));
            store.put(tiny, new byte[] {0, 0, 0, 9});
            assertThatThrownBy(() -> PackReader.readHeader(store, new ObjectInfo(tiny, 4), codec))
                    .isInstanceOf(CorruptObjectException.class).hasMessageContaining("truncated");
        }
    }

    @Test
    void assemblerStoresPacksBeforeTheirIndexAndSeparatesTypes() throws IOException {
        BlobStore store = LocalDirectoryBlobStore.at(dir);
        ChunkIdHasher h = KEY.newIdHasher();
        try (BlobCodec codec = KEY.newCodec(Compression.DEFAULT)) {
            PackAssembler a = new PackAssembler(store, codec, 64 * 1024);
            List<BlobId> ids = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                byte[] b = blob(i, 3000);
                BlobId id = h.id(b, 0, b.length);
                ids.add(id);
                a.add(i % 10 == 0 ? BlobType.TREE : BlobType.DATA, id, b, 0, b.length);
            }
            assertThat(store.list(ObjectType.DATA)).isNotEmpty();
            assertThat(store.list(ObjectType.INDEX)).isEmpty();
            a.flush();
            List<IndexEntry> indexed = new ArrayList<>();
            for (PackAssembler.WrittenIndex w : a.takeWritten()) {
                indexed.addAll(w.entries());
            }
            assertThat(indexed).hasSize(200);
            List<IndexEntry> fromFiles = new ArrayList<>();
            for (ObjectInfo info : store.list(ObjectType.INDEX)) {
                fromFiles.addAll(IndexFile.load(store, codec, info.name()));
            }
            assertThat(fromFiles).containsExactlyInAnyOrderElementsOf(indexed);
            Map<BlobId, BlobType> typeOfPack = new HashMap<>();
            for (IndexEntry e : indexed) {
                BlobType prev = typeOfPack.put(e.pack(), e.blob().type());
                assertThat(prev == null || prev == e.blob().type()).as("one type per pack").isTrue();
                assertThat(store.stat(ObjectName.of(ObjectType.DATA, e.pack().hex()))).isPresent();
            }
            assertThat(indexed.stream().map(e -> e.blob().id())).containsExactlyInAnyOrderElementsOf(ids);
        }
    }

    @Test
    void packsOfTinyBlobsStayWithinThePackSizeHeaderIncludedAndALargeBlobGetsAPackOfItsOwn() throws Exception {
        BlobStore store = LocalDirectoryBlobStore.at(dir);
        ChunkIdHasher h = KEY.newIdHasher();
        int packSize = 64 * 1024;
        Map<BlobId, byte[]> content = new HashMap<>();
        try (BlobCodec codec = KEY.newCodec(Compression.DEFAULT);
                PackAssembler a = new PackAssembler(store, codec, packSize)) {
            // 100-byte blobs: 41 header bytes each, so a pack filled to the size before its header would overshoot
            // it by a fifth.
            for (int i = 0; i < 2000; i++) {
                byte[] b = blob(i, 100);
                BlobId id = h.id(b, 0, b.length);
                content.put(id, b);
                a.add(BlobType.DATA, id, b, 0, b.length);
            }
            byte[] large = blob(-1, 3 * packSize);
            BlobId largeId = h.id(large, 0, large.length);
            content.put(largeId, large);
            a.add(BlobType.DATA, largeId, large, 0, large.length);
            for (int i = 2000; i < 2100; i++) {
                byte[] b = blob(i, 100);
                BlobId id = h.id(b, 0, b.length);
                content.put(id, b);
                a.add(BlobType.DATA, id, b, 0, b.length);
            }
            a.flush();
            List<IndexEntry> indexed = new ArrayList<>();
            a.takeWritten().forEach(w -> indexed.addAll(w.entries()));
            Map<BlobId, List<BlobId>> byPack = new HashMap<>();
            indexed.forEach(e -> byPack.computeIfAbsent(e.pack(), k -> new ArrayList<>()).add(e.blob().id()));
            for (ObjectInfo p : store.list(ObjectType.DATA)) {
                List<BlobId> blobs = byPack.get(BlobId.parse(p.name().id()));
                if (blobs.contains(largeId)) {
                    assertThat(blobs).as("the large blob's pack").containsExactly(largeId);
                } else {
                    assertThat(p.size()).as("pack of tiny blobs").isLessThanOrEqualTo(packSize);
                }
            }
            assertThat(byPack).hasSizeGreaterThan(4);
            for (IndexEntry e : indexed) {
                assertThat(SealedObjects.loadBlob(store, codec, e)).isEqualTo(content.get(e.blob().id()));
            }
        }
    }

    @Test
    void oneAssemblerSharedByThreadsFillsPacksInTurnAndLeavesOnePartialPackPerType() throws Exception {
        BlobStore store = LocalDirectoryBlobStore.at(dir);
        ChunkIdHasher h = KEY.newIdHasher();
        int packSize = 64 * 1024;
        List<BlobId> ids = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger codecsMade = new AtomicInteger();
        try (PackAssembler a = new PackAssembler(store, () -> {
            codecsMade.incrementAndGet();
            return KEY.newCodec(Compression.DEFAULT);
        }, packSize, 2)) {
            List<Thread> threads = new ArrayList<>();
            List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < 4; t++) {
                int base = t * 1000;
                threads.add(new Thread(() -> {
                    ChunkIdHasher th = KEY.newIdHasher();
                    try {
                        for (int i = 0; i < 150; i++) {
                            byte[] b = blob(base + i, 1000 + (i * 37) % 4000);
                            BlobId id = th.id(b, 0, b.length);
                            ids.add(id);
                            a.add(i % 5 == 0 ? BlobType.TREE : BlobType.DATA, id, b, 0, b.length);
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
            assertThat(failures).isEmpty();
            assertThat(codecsMade.get()).as("codecs shared by four threads").isBetween(1, 2);
            a.flush();
            List<IndexEntry> indexed = new ArrayList<>();
            for (PackAssembler.WrittenIndex w : a.takeWritten()) {
                indexed.addAll(w.entries());
            }
            assertThat(store.list(ObjectType.INDEX)).hasSize(1);
            assertThat(indexed.stream().map(e -> e.blob().id())).containsExactlyInAnyOrderElementsOf(ids);
            Map<BlobId, BlobType> typeOfPack = new HashMap<>();
            for (IndexEntry e : indexed) {
                BlobType prev = typeOfPack.put(e.pack(), e.blob().type());
                assertThat(prev == null || prev == e.blob().type()).as("one type per pack").isTrue();
            }
            // A pack is stored once the next blob would take it past the pack size: every pack fits, and all but
            // the last of each type are within about one blob (at most 5 KB sealed here, plus its header entry and the
            // header's compression slack) of the size.
            int largestBlob = 10_000;
            Map<BlobType, Integer> partial = new HashMap<>();
            for (ObjectInfo p : store.list(ObjectType.DATA)) {
                assertThat(p.size()).as("pack size").isLessThanOrEqualTo(packSize);
                if (p.size() < packSize - largestBlob) {
                    partial.merge(typeOfPack.get(BlobId.parse(p.name().id())), 1, Integer::sum);
                }
            }
            assertThat(partial.values()).as("partial packs per type").allMatch(n -> n == 1);
            assertThat(store.list(ObjectType.DATA).size()).isGreaterThan(4);
            try (BlobCodec codec = KEY.newCodec(Compression.DEFAULT)) {
                for (IndexEntry e : indexed) {
                    byte[] raw = SealedObjects.loadBlob(store, codec, e);
                    assertThat(h.id(raw, 0, raw.length)).isEqualTo(e.blob().id());
                }
            }
        }
    }
}

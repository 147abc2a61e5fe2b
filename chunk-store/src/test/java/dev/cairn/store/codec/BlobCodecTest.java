package dev.cairn.store.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.store.BlobId;
import dev.cairn.store.CorruptObjectException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class BlobCodecTest {
    static final SecureRandom RANDOM = new SecureRandom();
    static final MasterKey KEY = MasterKey.random(RANDOM, true);
    static final MasterKey PLAIN_KEY = MasterKey.random(RANDOM, false);

    static BlobId id(int i) {
        byte[] b = new byte[32];
        b[0] = (byte) i;
        b[31] = (byte) (i >> 8);
        return BlobId.of(b);
    }

    static byte[] text(int size) {
        StringBuilder sb = new StringBuilder();
        Random r = new Random(size);
        while (sb.length() < size) {
            sb.append("    public static int field").append(r.nextInt(100)).append(" = compute(x, y);\n");
        }
        return sb.substring(0, size).getBytes(StandardCharsets.US_ASCII);
    }

    @Property(tries = 40)
    void roundTrips(@ForAll @IntRange(min = 0, max = 200_000) int size, @ForAll boolean compressible,
            @ForAll boolean encrypted, @ForAll boolean compress) throws CorruptObjectException {
        byte[] raw = compressible ? text(size) : new byte[size];
        if (!compressible) {
            new Random(size).nextBytes(raw);
        }
        try (BlobCodec c = (encrypted ? KEY : PLAIN_KEY).newCodec(compress ? Compression.DEFAULT : Compression.OFF)) {
            byte[] sealed = c.seal(BlobKind.DATA, id(1), raw);
            assertThat(sealed.length).isLessThanOrEqualTo(c.maxSealedLength(size));
            if (!compressible || !compress) {
                assertThat(sealed.length).isLessThanOrEqualTo(size + 1 + c.overhead());
            }
            assertThat(c.open(BlobKind.DATA, id(1), sealed, "blob")).isEqualTo(raw);
        }
    }

    @Test
    void compressesTextAndKeepsRandomRaw() throws CorruptObjectException {
        try (BlobCodec c = KEY.newCodec(Compression.DEFAULT)) {
            byte[] t = text(1 << 20);
            assertThat(c.seal(BlobKind.DATA, id(1), t).length).isLessThan(t.length / 3);
            byte[] rnd = new byte[1 << 16];
            new Random(1).nextBytes(rnd);
            assertThat(c.seal(BlobKind.DATA, id(1), rnd).length).isEqualTo(rnd.length + 1 + 28);
        }
    }

    @Test
    void wholeObjectsRoundTripBetweenBlobsWithoutGrowingTheKeptScratch() throws CorruptObjectException {
        for (MasterKey key : new MasterKey[] {KEY, PLAIN_KEY}) {
            try (BlobCodec c = key.newCodec(Compression.DEFAULT)) {
                byte[] small = text(10_000);
                byte[] index = text(3 << 20);
                byte[] noise = new byte[1 << 20];
                new Random(7).nextBytes(noise);
                System.arraycopy(noise, 0, index, 0, noise.length); // a part that does not compress
                byte[] sealedSmall = c.seal(BlobKind.DATA, id(1), small);
                int kept = c.retainedScratch();
                byte[] sealedIndex = c.seal(BlobKind.INDEX, null, index);
                assertThat(c.open(BlobKind.DATA, id(1), sealedSmall, "blob")).isEqualTo(small);
                assertThat(c.open(BlobKind.INDEX, null, sealedIndex, "index")).isEqualTo(index);
                c.verify(BlobKind.INDEX, null, sealedIndex, 0, sealedIndex.length, "index");
                assertThat(c.open(BlobKind.DATA, id(1), c.seal(BlobKind.DATA, id(1), small), "blob")).isEqualTo(small);
                assertThat(c.retainedScratch()).as("scratch kept after whole objects").isEqualTo(kept);
                // Blobs still grow it: chunks come again and again.
                byte[] chunk = text(2 << 20);
                assertThat(c.open(BlobKind.DATA, id(2), c.seal(BlobKind.DATA, id(2), chunk), "chunk")).isEqualTo(chunk);
                assertThat(c.retainedScratch()).isGreaterThan(2 << 20);
            }
        }
    }

    @Test
    void encryptionIsFreshEachTime() {
        try (BlobCodec c = KEY.newCodec(Compression.DEFAULT)) {
            byte[] raw = text(1000);
            assertThat(c.seal(BlobKind.DATA, id(1), raw)).isNotEqualTo(c.seal(BlobKind.DATA, id(1), raw));
        }
    }

    @Test
    void everyFlippedBitIsCaught() {
        for (MasterKey key : new MasterKey[] {KEY, PLAIN_KEY}) {
            try (BlobCodec c = key.newCodec(Compression.DEFAULT)) {
                byte[] sealed = c.seal(BlobKind.DATA, id(1), text(300));
                for (int bit = 0; bit < sealed.length * 8; bit += 7) {
                    byte[] bad = sealed.clone();
                    bad[bit / 8] ^= (byte) (1 << (bit % 8));
                    assertThatThrownBy(() -> c.open(BlobKind.DATA, id(1), bad, "blob x"))
                            .isInstanceOf(CorruptObjectException.class).hasMessageStartingWith("blob x is corrupted");
                }
            }
        }
    }

    @Test
    void kindIdAndKeyAreBound() {
        try (BlobCodec c = KEY.newCodec(Compression.DEFAULT);
                BlobCodec other = MasterKey.random(RANDOM, true).newCodec(Compression.DEFAULT)) {
            byte[] sealed = c.seal(BlobKind.DATA, id(1), text(300));
            assertThatThrownBy(() -> c.open(BlobKind.TREE, id(1), sealed, "b"))
                    .hasMessageContaining("authentication failed");
            assertThatThrownBy(() -> c.open(BlobKind.DATA, id(2), sealed, "b"))
                    .hasMessageContaining("authentication failed");
            assertThatThrownBy(() -> other.open(BlobKind.DATA, id(1), sealed, "b"))
                    .hasMessageContaining("authentication failed");
            assertThatThrownBy(() -> c.open(BlobKind.DATA, id(1), java.util.Arrays.copyOf(sealed, 20), "b"))
                    .isInstanceOf(CorruptObjectException.class);
        }
    }

    @Test
    void chunkIdsAreKeyedHmacSha256() throws Exception {
        byte[] data = "hello".getBytes(StandardCharsets.US_ASCII);
        byte[] key = new byte[32];
        key[0] = 1;
        ChunkIdHasher h = new ChunkIdHasher(key);
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
        assertThat(h.id(data, 0, data.length).bytes()).isEqualTo(mac.doFinal(data));
        assertThat(h.id(data, 0, data.length)).isEqualTo(h.id(data, 0, data.length));
        assertThat(KEY.newIdHasher().id(data, 0, 5)).isNotEqualTo(PLAIN_KEY.newIdHasher().id(data, 0, 5));
    }

    @Test
    void wrappedKeysOpenOnlyWithTheirPassphrase() throws CorruptObjectException {
        MasterKey.KdfParams kdf = MasterKey.KdfParams.scrypt(1 << 10, RANDOM);
        byte[] wrapped = KEY.wrap("correct horse".toCharArray(), kdf, RANDOM);
        MasterKey back = MasterKey.unwrap(wrapped, "correct horse".toCharArray(), kdf, "k").orElseThrow();
        byte[] data = text(100);
        assertThat(back.newIdHasher().id(data, 0, 100)).isEqualTo(KEY.newIdHasher().id(data, 0, 100));
        assertThat(MasterKey.unwrap(wrapped, "wrong".toCharArray(), kdf, "k")).isEmpty();
        assertThatThrownBy(() -> new MasterKey.KdfParams("scrypt", 1000, 8, 1, new byte[32]))
                .hasMessageContaining("N 1000");
    }

    @Test
    void compressionSettingsParse() {
        assertThat(Compression.parse("off")).isEqualTo(Compression.OFF);
        assertThat(Compression.parse("auto")).isEqualTo(Compression.DEFAULT);
        assertThat(Compression.parse("zstd:19").level()).isEqualTo(19);
        assertThatThrownBy(() -> Compression.parse("23")).hasMessageContaining("zstd level 23");
        assertThatThrownBy(() -> Compression.parse("lz4")).hasMessageContaining("'lz4'");
    }
}

package dev.cairn.store.chunker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class FastCdcTest {

    static byte[] sekien() throws IOException {
        try (InputStream in = FastCdcTest.class.getResourceAsStream("/SekienAkashita.jpg")) {
            return in.readAllBytes();
        }
    }

    static List<Integer> lengths(ChunkerParams p, byte[] data) throws IOException {
        FastCdc cdc = FastCdc.of(p);
        FastCdc.Stream s = cdc.stream(new ByteArrayInputStream(data), new byte[cdc.bufferSize()]);
        List<Integer> out = new ArrayList<>();
        long expectOffset = 0;
        while (s.next()) {
            assertThat(s.offset()).isEqualTo(expectOffset);
            expectOffset += s.chunkLength();
            out.add(s.chunkLength());
        }
        return out;
    }

    @Test
    void gearTableMatchesTheMd5Definition() {
        assertThat(FastCdc.GEAR[0]).isEqualTo(0x3b5d3c7d207e37dcL);
    }

    @Test
    void publishedCutPointsForSekienAkashita() throws IOException {
        byte[] img = sekien();
        assertThat(img).hasSize(109_466);
        assertThat(lengths(ChunkerParams.of(4096, 16384, 65535, 1), img))
                .containsExactly(21325, 17140, 28084, 18217, 24700);
        assertThat(lengths(ChunkerParams.of(8192, 32768, 131072, 1), img)).containsExactly(66549, 42917);
        assertThat(lengths(ChunkerParams.of(16384, 65536, 262144, 1), img)).containsExactly(109466);
        assertThat(lengths(ChunkerParams.of(4096, 16384, 65535, 0), img))
                .containsExactly(6634, 59915, 25597, 5237, 12083);
        assertThat(lengths(ChunkerParams.of(8192, 16384, 32768, 3), img))
                .containsExactly(17350, 19911, 17426, 17519, 19940, 17320);
    }

    @Test
    void publishedChunkDigests() throws Exception {
        byte[] img = sekien();
        List<String> md5s = new ArrayList<>();
        int off = 0;
        for (int len : lengths(ChunkerParams.of(4096, 16384, 65535, 1), img)) {
            MessageDigest md = MessageDigest.getInstance("MD5");
            md.update(img, off, len);
            md5s.add(HexFormat.of().formatHex(md.digest()));
            off += len;
        }
        assertThat(md5s).containsExactly("2bb52734718194617c957f5e07ee6054", "badfb0757fe081c20336902e7131f768",
                "18412d7414de6eb42f638351711f729d", "04fe1405fc5f960363bfcd834c056407",
                "1aa7ad95f274d6ba34a983946ebc5af3");
    }

    @Test
    void allZeroInputCutsAtMax() throws IOException {
        assertThat(lengths(ChunkerParams.of(64, 256, 1024, 1), new byte[10_240]))
                .containsExactly(1024, 1024, 1024, 1024, 1024, 1024, 1024, 1024, 1024, 1024);
    }

    @Test
    void emptyAndSmallInputs() throws IOException {
        assertThat(lengths(ChunkerParams.DEFAULT, new byte[0])).isEmpty();
        assertThat(lengths(ChunkerParams.DEFAULT, new byte[1])).containsExactly(1);
        assertThat(lengths(ChunkerParams.DEFAULT, new byte[512 * 1024])).containsExactly(512 * 1024);
    }

    @Test
    void defaultsOverLargeRandomInputStayWithinBounds() throws IOException {
        byte[] data = new byte[40 << 20];
        new Random(7).nextBytes(data);
        List<Integer> lens = lengths(ChunkerParams.DEFAULT, data);
        assertThat(lens.stream().mapToLong(Integer::longValue).sum()).isEqualTo(data.length);
        for (int i = 0; i < lens.size() - 1; i++) {
            assertThat(lens.get(i)).isBetween(512 * 1024, 8 * 1024 * 1024);
        }
        double mean = data.length / (double) lens.size();
        assertThat(mean).isBetween(600_000.0, 2_000_000.0);
    }

    /** Reads in small, uneven pieces, as pipes and network streams do. */
    static final class TrickleInputStream extends ByteArrayInputStream {
        private final Random random;

        TrickleInputStream(byte[] data, long seed) {
            super(data);
            random = new Random(seed);
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, 1 + random.nextInt(5000)));
        }
    }

    @Property(tries = 60)
    void streamingFindsTheSameCutsAsOneBuffer(@ForAll long seed, @ForAll @IntRange(min = 0, max = 300_000) int size,
            @ForAll @IntRange(min = 0, max = 3) int level) throws IOException {
        byte[] data = new byte[size];
        Random r = new Random(seed);
        r.nextBytes(data);
        // Low-entropy stretches, as real files have.
        for (int i = 0; i + 100 < size; i += 5000) {
            java.util.Arrays.fill(data, i, i + 100 + r.nextInt(Math.min(3000, size - i - 100)), (byte) 'a');
        }
        ChunkerParams p = ChunkerParams.of(1024, 4096, 16384, level);
        FastCdc cdc = FastCdc.of(p);
        List<Integer> whole = new ArrayList<>();
        for (int pos = 0; pos < size; ) {
            int len = cdc.cut(data, pos, size - pos);
            whole.add(len);
            pos += len;
        }
        FastCdc.Stream s = cdc.stream(new TrickleInputStream(data, seed), new byte[cdc.bufferSize()]);
        List<Integer> streamed = new ArrayList<>();
        int pos = 0;
        while (s.next()) {
            assertThat(java.util.Arrays.equals(s.buffer(), s.chunkStart(), s.chunkStart() + s.chunkLength(),
                    data, pos, pos + s.chunkLength())).isTrue();
            pos += s.chunkLength();
            streamed.add(s.chunkLength());
        }
        assertThat(streamed).isEqualTo(whole);
        for (int i = 0; i < whole.size() - 1; i++) {
            assertThat(whole.get(i)).isBetween(p.minSize() - 1, p.maxSize());
        }
    }

    @Test
    void badParametersAreNamed() {
        assertThatThrownBy(() -> ChunkerParams.of(16, 256, 1024, 1)).hasMessageContaining("min size 16");
        assertThatThrownBy(() -> ChunkerParams.of(4096, 1024, 8192, 1)).hasMessageContaining("avg size 1024");
        assertThatThrownBy(() -> ChunkerParams.of(1024, 4096, 2048, 1)).hasMessageContaining("max size 2048");
        assertThatThrownBy(() -> ChunkerParams.of(1024, 4096, 8192, 4)).hasMessageContaining("normalization level 4");
        assertThatThrownBy(() -> ChunkerParams.of(64, 64, 64, 2)).hasMessageContaining("mask bits");
        FastCdc cdc = FastCdc.of(ChunkerParams.DEFAULT);
        assertThatThrownBy(() -> cdc.stream(new ByteArrayInputStream(new byte[0]), new byte[10]))
                .hasMessageContaining("buffer");
    }
}

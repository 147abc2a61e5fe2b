package dev.cairn.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BlobIdTest {
    static byte[] random(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    @Test
    void bytesHexAndOffsetsRoundTrip() {
        Random r = new Random(3);
        for (int i = 0; i < 200; i++) {
            byte[] raw = random(r, BlobId.LENGTH);
            BlobId id = BlobId.of(raw);
            assertThat(id.bytes()).isEqualTo(raw).isNotSameAs(raw);
            assertThat(id.hex()).isEqualTo(HexFormat.of().formatHex(raw));
            assertThat(id.shortHex()).isEqualTo(id.hex().substring(0, 8));
            assertThat(BlobId.parse(id.hex())).isEqualTo(id);
            byte[] framed = new byte[BlobId.LENGTH + 7];
            id.copyTo(framed, 5);
            assertThat(Arrays.copyOfRange(framed, 5, 5 + BlobId.LENGTH)).isEqualTo(raw);
            assertThat(BlobId.of(framed, 5)).isEqualTo(id);
            assertThat(id.equalsBytes(framed, 5)).isTrue();
            framed[5 + r.nextInt(BlobId.LENGTH)] ^= 1;
            assertThat(id.equalsBytes(framed, 5)).isFalse();
            raw[r.nextInt(BlobId.LENGTH)] ^= (byte) 0x80;
            assertThat(id.bytes()).as("the id keeps no reference to the array it was read from")
                    .isNotEqualTo(raw);
        }
    }

    @Test
    void equalityHashAndOrderFollowTheBytes() {
        Random r = new Random(4);
        for (int i = 0; i < 2000; i++) {
            byte[] x = random(r, BlobId.LENGTH);
            byte[] y = x.clone();
            if (r.nextBoolean()) {
                y[r.nextInt(BlobId.LENGTH)] = (byte) r.nextInt(); // often a byte with its high bit set
            }
            BlobId a = BlobId.of(x);
            BlobId b = BlobId.of(y);
            assertThat(a.equals(b)).isEqualTo(Arrays.equals(x, y));
            assertThat(Integer.signum(a.compareTo(b))).isEqualTo(Integer.signum(Arrays.compareUnsigned(x, y)));
            assertThat(a.hashCode()).isEqualTo((x[0] & 0xff) << 24 | (x[1] & 0xff) << 16 | (x[2] & 0xff) << 8
                    | (x[3] & 0xff));
        }
    }

    @Test
    void wrongLengthsAreRefused() {
        assertThatThrownBy(() -> BlobId.of(new byte[31])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BlobId.of(new byte[40], 9)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BlobId.parse("ab")).isInstanceOf(IllegalArgumentException.class);
    }
}

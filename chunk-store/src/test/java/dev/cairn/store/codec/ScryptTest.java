package dev.cairn.store.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.bouncycastle.crypto.generators.SCrypt;
import org.junit.jupiter.api.Test;

class ScryptTest {
    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    // RFC 7914, section 12 (the fourth vector, N = 2^20, needs 1 GiB and is left to the cross-check below).
    @Test
    void rfc7914EmptyPassphraseAndSalt() {
        assertThat(hex(Scrypt.derive(new byte[0], new byte[0], 16, 1, 1, 64))).isEqualTo(
                "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442"
                        + "fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906");
    }

    @Test
    void rfc7914PasswordNaClWithParallelism16() {
        assertThat(hex(Scrypt.derive(ascii("password"), ascii("NaCl"), 1024, 8, 16, 64))).isEqualTo(
                "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
                        + "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640");
    }

    @Test
    void rfc7914PleaseLetMeIn() {
        assertThat(hex(Scrypt.derive(ascii("pleaseletmein"), ascii("SodiumChloride"), 16384, 8, 1, 64))).isEqualTo(
                "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2"
                        + "d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887");
    }

    /** Any parameters, any lengths: the same key as an independent implementation. */
    @Property(tries = 60)
    void sameKeyAsAnIndependentImplementation(@ForAll @Size(max = 80) byte[] passphrase,
            @ForAll @Size(max = 40) byte[] salt, @ForAll @IntRange(min = 1, max = 10) int log2n,
            @ForAll @IntRange(min = 1, max = 9) int r, @ForAll @IntRange(min = 1, max = 3) int p,
            @ForAll @IntRange(min = 1, max = 100) int length) {
        int n = 1 << log2n;
        assertThat(Scrypt.derive(passphrase, salt, n, r, p, length))
                .isEqualTo(SCrypt.generate(passphrase, salt, n, r, p, length));
    }

    @Test
    void cairnsDefaultParametersAgreeWithTheIndependentImplementation() {
        byte[] pass = "correct horse battery staple".getBytes(StandardCharsets.UTF_8);
        byte[] salt = new byte[32];
        for (int i = 0; i < salt.length; i++) {
            salt[i] = (byte) (i * 7);
        }
        assertThat(Scrypt.derive(pass, salt, MasterKey.KdfParams.DEFAULT_N, 8, 1, 32))
                .isEqualTo(SCrypt.generate(pass, salt, MasterKey.KdfParams.DEFAULT_N, 8, 1, 32));
    }

    @Test
    void refusesParametersOutsideTheDefinition() {
        assertThatThrownBy(() -> Scrypt.derive(new byte[1], new byte[1], 1000, 8, 1, 32))
                .hasMessageContaining("not a power of two");
        assertThatThrownBy(() -> Scrypt.derive(new byte[1], new byte[1], 1, 8, 1, 32))
                .hasMessageContaining("not a power of two");
        assertThatThrownBy(() -> Scrypt.derive(new byte[1], new byte[1], 1 << 20, 32, 1, 32))
                .hasMessageContaining("out of range");
        assertThatThrownBy(() -> Scrypt.derive(new byte[1], new byte[1], 16, 0, 1, 32))
                .hasMessageContaining("out of range");
    }
}

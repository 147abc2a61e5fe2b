package dev.cairn.store.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.store.CorruptObjectException;
import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MasterKeyTest {
    static final SecureRandom RANDOM = new SecureRandom();

    static MasterKey.KdfParams cheap() {
        return MasterKey.KdfParams.scrypt(1 << 10, RANDOM);
    }

    @Test
    void aKeyOpenedOnceIsRememberedForTheSameWrappedBytesAndPassphraseOnly() throws CorruptObjectException {
        MasterKey key = MasterKey.random(RANDOM, true);
        MasterKey.KdfParams kdf = cheap();
        byte[] wrapped = key.wrap("right".toCharArray(), kdf, RANDOM);

        Optional<MasterKey> first = MasterKey.unwrap(wrapped, "right".toCharArray(), kdf, "key a");
        assertThat(first).isPresent();
        assertThat(first.get().material()).isEqualTo(key.material());
        // Remembered: the second open derives nothing and returns the key opened the first time.
        assertThat(MasterKey.unwrap(wrapped.clone(), "right".toCharArray(), kdf, "key a")).containsSame(first.get());

        // A wrong passphrase still fails, every time.
        assertThat(MasterKey.unwrap(wrapped, "wrong".toCharArray(), kdf, "key a")).isEmpty();
        assertThat(MasterKey.unwrap(wrapped, "wrong".toCharArray(), kdf, "key a")).isEmpty();

        // Damaged wrapped bytes are not the remembered ones: they fail authentication.
        byte[] damaged = wrapped.clone();
        damaged[damaged.length - 1] ^= 1;
        assertThat(MasterKey.unwrap(damaged, "right".toCharArray(), kdf, "key a")).isEmpty();

        // The same key under another salt is another key file: opened on its own, to the same material.
        MasterKey.KdfParams other = cheap();
        byte[] rewrapped = key.wrap("right".toCharArray(), other, RANDOM);
        assertThat(MasterKey.unwrap(rewrapped, "right".toCharArray(), kdf, "key b")).isEmpty();
        Optional<MasterKey> second = MasterKey.unwrap(rewrapped, "right".toCharArray(), other, "key b");
        assertThat(second).isPresent();
        assertThat(second.get()).isNotSameAs(first.get());
        assertThat(second.get().material()).isEqualTo(key.material());
    }
}

package dev.cairn.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectIoTest {
    @TempDir
    Path dir;

    final ByteBuffer buffer = DirectIo.newBuffer();
    final Random random = new Random(7);

    /** Filesystems that take direct transfers on every kernel cairn runs on. */
    boolean takesDirectIo(Path p) throws IOException {
        return Set.of("ext4", "xfs", "btrfs").contains(Files.getFileStore(p).type());
    }

    byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** Reads the stream to its end in reads of varying length, as the chunker's refills are. */
    byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = new byte[3 << 20];
        int n;
        while ((n = in.read(b, 0, 1 + random.nextInt(b.length))) >= 0) {
            out.write(b, 0, n);
        }
        return out.toByteArray();
    }

    @Test
    void buffersAreAlignedAndOfOneBlock() {
        assertThat(buffer.capacity()).isEqualTo(DirectIo.BLOCK);
        assertThat(buffer.isDirect()).isTrue();
        assertThat(buffer.alignmentOffset(0, DirectIo.ALIGNMENT)).isZero();
    }

    @Test
    void filesOfEverySizeAroundTheBlocksReadBackWhole() throws IOException {
        int a = DirectIo.ALIGNMENT;
        int b = DirectIo.BLOCK;
        for (int size : new int[] {0, 1, a - 1, a, a + 1, b - 1, b, b + 1, 3 * b + 12345}) {
            Path f = dir.resolve("f" + size);
            byte[] content = bytes(size);
            Files.write(f, content);
            try (InputStream in = DirectIo.openForRead(f, buffer)) {
                assertThat(readAll(in)).as("size %d", size).isEqualTo(content);
                assertThat(in.read(new byte[10], 0, 10)).isEqualTo(-1);
                if (takesDirectIo(f)) {
                    assertThat(((DirectIo.DirectInput) in).direct()).as("size %d read directly", size).isTrue();
                }
            }
        }
    }

    @Test
    void readingAheadDeliversTheSameBytesAndLeavesNoReadRunningAfterClose() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            ByteBuffer[] two = {buffer, DirectIo.newBuffer()};
            int b = DirectIo.BLOCK;
            for (int size : new int[] {0, 1, b - 1, b, b + 1, 2 * b, 5 * b + 4321}) {
                Path f = dir.resolve("ra" + size);
                byte[] content = bytes(size);
                Files.write(f, content);
                try (InputStream in = DirectIo.openForRead(f, two, pool)) {
                    assertThat(readAll(in)).as("size %d", size).isEqualTo(content);
                }
            }
            // Closed after one block: the read ahead of the second has ended by the time close returns, and the
            // buffers serve the next file.
            Path f = dir.resolve("ra-close");
            byte[] content = bytes(4 * b);
            Files.write(f, content);
            try (InputStream in = DirectIo.openForRead(f, two, pool)) {
                assertThat(in.readNBytes(10)).isEqualTo(Arrays.copyOf(content, 10));
            }
            Path g = dir.resolve("ra-next");
            byte[] next = bytes(3 * b + 17);
            Files.write(g, next);
            try (InputStream in = DirectIo.openForRead(g, two, pool)) {
                assertThat(readAll(in)).isEqualTo(next);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFileThatGrowsWhileItIsReadIsReadOn() throws IOException {
        Path f = dir.resolve("growing");
        byte[] first = bytes(DirectIo.BLOCK + 1000);
        byte[] more = bytes(70_000);
        Files.write(f, first);
        try (InputStream in = DirectIo.openForRead(f, buffer)) {
            byte[] got = in.readNBytes(first.length);
            assertThat(got).isEqualTo(first);
            // Appended after the last read ended short, at an offset off the alignment.
            Files.write(f, more, StandardOpenOption.APPEND);
            byte[] rest = readAll(in);
            assertThat(rest).isEqualTo(more);
        }
    }

    @Test
    void aFileThatShrinksWhileItIsReadEndsWhereItEnds() throws IOException {
        Path f = dir.resolve("shrinking");
        byte[] content = bytes(3 * DirectIo.BLOCK);
        Files.write(f, content);
        try (InputStream in = DirectIo.openForRead(f, buffer)) {
            byte[] head = in.readNBytes(100);
            try (var ch = java.nio.channels.FileChannel.open(f, StandardOpenOption.WRITE)) {
                ch.truncate(DirectIo.BLOCK + 5);
            }
            byte[] rest = readAll(in);
            assertThat(head.length + rest.length).isEqualTo(DirectIo.BLOCK + 5);
            assertThat(rest).isEqualTo(Arrays.copyOfRange(content, 100, DirectIo.BLOCK + 5));
        }
    }

    @Test
    void aFilesystemThatRefusesDirectReadsIsReadThroughThePageCache() throws IOException {
        // procfs refuses O_DIRECT (EINVAL); its /proc/version does not change while the test runs.
        Path version = Path.of("/proc/version");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(version), "no /proc/version");
        try (InputStream in = DirectIo.openForRead(version, buffer)) {
            assertThat(readAll(in)).isEqualTo(Files.readAllBytes(version));
        }
    }

    @Test
    void aMissingFileIsNoSuchFileAndALinkIsNotFollowed() throws IOException {
        assertThatThrownBy(() -> DirectIo.openForRead(dir.resolve("nope"), buffer))
                .isInstanceOf(NoSuchFileException.class);
        Path target = dir.resolve("target");
        Files.write(target, bytes(10));
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        assertThatThrownBy(() -> DirectIo.openForRead(link, buffer)).isInstanceOf(IOException.class);
    }

    @Test
    void writtenFilesOfEverySizeReadBackWholeAndANewFileIsNeverOverwritten() throws IOException {
        int a = DirectIo.ALIGNMENT;
        int b = DirectIo.BLOCK;
        for (int size : new int[] {0, 1, a - 1, a, a + 1, b, b + 1, 2 * b + a + 7}) {
            Path f = dir.resolve("w" + size);
            byte[] content = Arrays.copyOf(bytes(size), size + 100); // only [0, size) is written
            DirectIo.writeNewFile(f, content, size, buffer);
            assertThat(Files.readAllBytes(f)).as("size %d", size).isEqualTo(Arrays.copyOf(content, size));
        }
        Path existing = dir.resolve("w1");
        assertThatThrownBy(() -> DirectIo.writeNewFile(existing, bytes(2 * a), 2 * a, buffer))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.size(existing)).isEqualTo(1);
    }
}

package dev.cairn.backup;

import dev.cairn.catalog.model.FileName;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Path;

/**
 * File names as the bytes the filesystem holds. Linux names need not be UTF-8, and the JDK's {@code Path}
 * keeps their bytes but offers no public way to read or build them. When the JVM runs with
 * {@code --add-opens java.base/sun.nio.fs=ALL-UNNAMED} (as {@code bin/cairn} and the tests do), names go
 * through the JDK's own byte-array methods and round-trip exactly; without it they are taken as UTF-8, and a
 * name that is not valid UTF-8 cannot be restored under its original bytes.
 */
public final class RawPaths {
    private static final MethodHandle AS_BYTES;
    private static final MethodHandle FROM_BYTES;
    private static final FileSystem FS = FileSystems.getDefault();

    static {
        MethodHandle asBytes = null;
        MethodHandle fromBytes = null;
        try {
            Class<?> unixPath = Class.forName("sun.nio.fs.UnixPath");
            Class<?> unixFs = Class.forName("sun.nio.fs.UnixFileSystem");
            MethodHandles.Lookup l = MethodHandles.privateLookupIn(unixPath, MethodHandles.lookup());
            asBytes = l.findVirtual(unixPath, "asByteArray", MethodType.methodType(byte[].class));
            fromBytes = l.findConstructor(unixPath, MethodType.methodType(void.class, unixFs, byte[].class));
            if (!unixFs.isInstance(FS)) {
                asBytes = null;
                fromBytes = null;
            }
        } catch (ReflectiveOperationException | RuntimeException notOpened) {
            asBytes = null;
            fromBytes = null;
        }
        AS_BYTES = asBytes;
        FROM_BYTES = fromBytes;
    }

    private RawPaths() {
    }

    /** The last component of {@code path} as filesystem bytes. */
    public static FileName name(Path path) {
        return whole(path.getFileName());
    }

    /** All of {@code path} (a symlink target, say) as filesystem bytes. */
    public static FileName whole(Path fn) {
        if (AS_BYTES != null) {
            try {
                return FileName.of((byte[]) AS_BYTES.invoke(fn));
            } catch (Throwable e) {
                // fall back to the decoded name
            }
        }
        return FileName.of(fn.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** {@code dir} resolved against a name given as filesystem bytes. */
    public static Path resolve(Path dir, FileName name) {
        return dir.resolve(path(name));
    }

    /** A (relative or absolute) path from filesystem bytes, such as a symlink target. */
    public static Path path(FileName bytes) {
        if (FROM_BYTES != null) {
            try {
                return (Path) FROM_BYTES.invoke(FS, bytes.bytes());
            } catch (Throwable e) {
                // fall back to the decoded name
            }
        }
        return Path.of(bytes.toString());
    }
}

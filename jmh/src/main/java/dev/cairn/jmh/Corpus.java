package dev.cairn.jmh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Benchmark inputs: real source code (the Python standard library, when installed) and random bytes; and the removal
 * of the trees and repositories benchmarks make.
 */
final class Corpus {
    private Corpus() {
    }

    /** {@code size} bytes of the given kind: {@code text} (source code) or {@code random}. */
    static byte[] of(String kind, int size) throws IOException {
        return switch (kind) {
            case "text" -> sourceCode(size);
            case "random" -> random(size);
            default -> throw new IllegalArgumentException("corpus kind '" + kind + "' is not text or random");
        };
    }

    /** Deletes {@code dir} and everything under it; nothing when it does not exist. */
    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static byte[] random(int size) {
        byte[] b = new byte[size];
        new Random(42).nextBytes(b);
        return b;
    }

    /** Source files concatenated in path order, from the first source directory found; generated otherwise. */
    static byte[] sourceCode(int size) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        for (String root : List.of("/usr/lib/python3.11", "/usr/lib/python3", "/usr/share/perl")) {
            Path dir = Path.of(root);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            List<Path> files;
            try (Stream<Path> s = Files.walk(dir)) {
                files = s.filter(p -> p.toString().endsWith(".py") || p.toString().endsWith(".pm"))
                        .filter(Files::isRegularFile).sorted().toList();
            }
            for (Path f : files) {
                out.write(Files.readAllBytes(f));
                if (out.size() >= size) {
                    return java.util.Arrays.copyOf(out.toByteArray(), size);
                }
            }
        }
        Random r = new Random(7);
        String[] words = {"public", "static", "final", "int", "return", "if", "else", "for", "while", "new",
            "String", "value", "index", "buffer", "length", "size", "count", "result", "null", "this", "(", ")",
            "{", "}", ";", "=", "+", "==", "0", "1", ".", ",", "\n", "    ", "// ", "throws", "IOException"};
        while (out.size() < size) {
            String w = words[r.nextInt(words.length)];
            out.write(w.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            if (r.nextInt(8) == 0) {
                out.write(("name" + r.nextInt(500) + " ").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            } else {
                out.write(' ');
            }
        }
        return java.util.Arrays.copyOf(out.toByteArray(), size);
    }
}

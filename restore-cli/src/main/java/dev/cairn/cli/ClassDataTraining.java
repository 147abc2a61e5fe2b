package dev.cairn.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The workload the launchers run once, with {@code -XX:ArchiveClassesAtExit}, to make cairn's class-data archive:
 * the commands of a day's work (init, two backups, the read commands, a restore, check, forget) on a small
 * generated tree in a temporary directory, in one process, so that every class they load is archived.
 *
 * <p>With the archive a command starts without parsing, verifying and linking some 2,100 classes (1,090 of them from
 * cairn's jars, the rest JDK classes outside the JDK's own archive):
 * measured 0.35-0.4 s less per command (README, Performance). The archive belongs to one JDK and one set of jars;
 * {@code bin/cairn} remakes it when the jars change; a JVM given one that does not match says so on stderr
 * and runs without it.
 */
public final class ClassDataTraining {
    private ClassDataTraining() {}

    public static void main(String[] args) throws IOException {
        Path work = Files.createTempDirectory("cairn-training");
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        try {
            int failures = train(work, quiet);
            if (failures > 0) {
                System.err.println("cairn: class-data training: " + failures + " command(s) failed");
            }
        } finally {
            deleteTree(work);
        }
        System.exit(0);
    }

    /** Runs the workload in {@code work}; returns how many commands did not exit 0. */
    static int train(Path work, PrintStream out) throws IOException {
        Path data = work.resolve("data");
        Path repo = work.resolve("repo");
        Path target = work.resolve("restored");
        makeTree(data, 1);
        Map<String, String> env = Map.of("CAIRN_PASSWORD", "training", "CI", "1");
        String[] common = {"--repo", repo.toString(), "--cache-dir", work.resolve("cache").toString()};
        String[][] commands = {
            {"init", "--kdf-cost", "1024"},
            {"backup", data.toString()},
            null, // the tree changes here
            {"backup", data.toString()},
            {"snapshots"},
            {"snapshots", "--json"},
            {"ls", "latest", "-l"},
            {"find", "*.txt"},
            {"stats"},
            {"restore", "latest", "--target", target.toString()},
            {"check", "--read-data"},
            {"forget", "--keep-last", "1", "--dry-run"},
        };
        int failures = 0;
        for (String[] command : commands) {
            if (command == null) {
                makeTree(data, 2);
                continue;
            }
            String[] line = new String[common.length + command.length];
            System.arraycopy(common, 0, line, 0, common.length);
            System.arraycopy(command, 0, line, common.length, command.length);
            if (Cairn.run(line, env, System.in, out, out) != Cairn.EXIT_OK) {
                failures++;
            }
        }
        return failures;
    }

    /** A few hundred small files, some larger ones (several chunks) and a symlink; {@code round} 2 edits some. */
    private static void makeTree(Path data, int round) throws IOException {
        Random random = new Random(round);
        for (int d = 0; d < 8; d++) {
            Path dir = Files.createDirectories(data.resolve("dir" + d));
            for (int f = 0; f < 40; f++) {
                if (round == 1 || f % 7 == 0) {
                    Files.writeString(dir.resolve("file" + f + ".txt"), "round " + round + " line " + f + "\n".repeat(f));
                }
            }
        }
        byte[] big = new byte[3 << 20];
        random.nextBytes(big);
        Files.write(data.resolve("large.bin"), big);
        Path link = data.resolve("link");
        if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(link, Path.of("dir0/file1.txt"));
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

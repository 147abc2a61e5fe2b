package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** forget, prune and check --read-data from the command line. */
class MaintenanceCommandsTest {
    @TempDir
    Path tmp;

    Map<String, String> env = new HashMap<>();
    String out;
    String err;
    Path src;

    int cairn(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = Cairn.run(args, env, new ByteArrayInputStream(new byte[0]),
                new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return code;
    }

    /** Ten daily snapshots (in UTC) of a tree that changes every day. */
    @BeforeEach
    void tenDays() throws IOException {
        env.put("CAIRN_REPOSITORY", tmp.resolve("repo").toString());
        env.put("CAIRN_PASSWORD", "pw");
        env.put("CAIRN_CACHE_DIR", tmp.resolve("cache").toString());
        env.put("TZ", "UTC");
        src = tmp.resolve("data");
        Files.createDirectories(src);
        assertThat(cairn("init", "--kdf-cost", "1024", "--pack-size", "65536")).as(err).isZero();
        Random r = new Random(3);
        for (int day = 1; day <= 10; day++) {
            byte[] b = new byte[50_000 + r.nextInt(50_000)];
            r.nextBytes(b);
            Files.write(src.resolve("day" + day + ".bin"), b);
            if (day > 3) {
                Files.delete(src.resolve("day" + (day - 3) + ".bin"));
            }
            String time = String.format("2026-03-%02dT12:00:00Z", day);
            assertThat(cairn("backup", src.toString(), "--time", time, "--tag", day == 2 ? "release" : "daily"))
                    .as(err).isZero();
        }
    }

    List<String> snapshotIds() {
        assertThat(cairn("snapshots", "--json")).isZero();
        List<String> ids = new ArrayList<>();
        Matcher m = Pattern.compile("\"id\" : \"([0-9a-f]{64})\"").matcher(out);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    static long size(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    @Test
    void forgetExplainsThenPruneShrinksAndEveryKeptSnapshotRestores() throws IOException {
        List<String> all = snapshotIds();
        assertThat(all).hasSize(10);
        assertThat(cairn("forget", "--keep-last", "2", "--keep-tag", "release", "--dry-run")).as(err).isZero();
        assertThat(out).contains("would remove 7 snapshots").contains("keep    " + all.get(1).substring(0, 8))
                .contains("tag release").contains("last");
        assertThat(snapshotIds()).hasSize(10);

        long before = size(tmp.resolve("repo/data"));
        assertThat(cairn("forget", "--keep-last", "2", "--keep-tag", "release", "--prune", "--json")).as(err)
                .isZero();
        assertThat(out).contains("\"removed\" : 7").contains("\"packs_deleted\"");
        List<String> kept = snapshotIds();
        assertThat(kept).containsExactly(all.get(1), all.get(8), all.get(9));
        assertThat(size(tmp.resolve("repo/data"))).isLessThan(before);

        assertThat(cairn("check", "--read-data")).as(err).isZero();
        assertThat(out).contains("every blob authenticated");
        for (String id : kept) {
            Path target = tmp.resolve("r-" + id.substring(0, 8));
            assertThat(cairn("restore", id, "--target", target.toString(), "--verify")).as(err).isZero();
        }
        assertThat(tmp.resolve("r-" + all.get(9).substring(0, 8) + "/data/day10.bin"))
                .hasSameBinaryContentAs(src.resolve("day10.bin"));
        assertThat(tmp.resolve("r-" + all.get(1).substring(0, 8) + "/data/day2.bin")).exists();

        assertThat(cairn("prune", "--dry-run")).isZero();
        assertThat(out).contains("delete 0");
    }

    @Test
    void dailyWeeklyPolicyKeepsTheNewestOfEachDayAndWeek() {
        assertThat(cairn("forget", "--keep-daily", "3", "--keep-weekly", "2", "--json")).as(err).isZero();
        // Mar 10, 9, 8 by day; by ISO week, Mar 10 (week 11) and Mar 8 (the Sunday ending week 10).
        assertThat(out).contains("\"removed\" : 7");
        assertThat(out).contains("\"daily\", \"weekly\"");
    }

    @Test
    void checkReadDataNamesTheSnapshotsAndFilesADamagedPackAffects() throws IOException {
        Path victim;
        try (Stream<Path> s = Files.walk(tmp.resolve("repo/data"))) {
            victim = s.filter(Files::isRegularFile).max(java.util.Comparator.comparingLong(p -> p.toFile().length()))
                    .orElseThrow();
        }
        try (RandomAccessFile f = new RandomAccessFile(victim.toFile(), "rw")) {
            f.seek(100);
            int b = f.read();
            f.seek(100);
            f.write(b ^ 0x40);
        }
        assertThat(cairn("check")).isZero(); // structure alone cannot see it
        assertThat(cairn("check", "--read-data")).isEqualTo(1);
        assertThat(err).contains("cairn: damaged: ").contains("content does not match its name")
                .containsPattern("is damaged: in /data/day[0-9]+\\.bin \\(affects snapshots [0-9a-f]{8}");
        assertThat(cairn("check", "--read-data-subset", "1/1")).isEqualTo(1);
        assertThat(cairn("check", "--read-data-subset", "0/3")).isEqualTo(2);
        assertThat(err.strip()).startsWith("cairn: --read-data-subset takes N/M");
    }

    @Test
    void badPoliciesAreRefused() {
        assertThat(cairn("forget")).isEqualTo(2);
        assertThat(err.strip()).startsWith("cairn: no policy given").doesNotContain("\n");
        assertThat(cairn("forget", "--keep-within", "3 weeks")).isEqualTo(2);
        assertThat(err).contains("not a duration");
        assertThat(cairn("forget", "--keep-last", "1", "--group-by", "color")).isEqualTo(2);
        assertThat(cairn("prune", "--max-unused", "lots")).isEqualTo(2);
        assertThat(err).contains("--max-unused takes a percentage");
    }
}

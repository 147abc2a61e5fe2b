package dev.cairn.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.cli.Cairn;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad config files: one line naming the file and the problem, exit 2, no job started. */
class DaemonConfigTest {
    @TempDir
    Path tmp;

    String run(String yaml) throws Exception {
        Path f = tmp.resolve("cairn.yaml");
        Files.writeString(f, yaml);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cairn.run(new String[] {"daemon", "--config", f.toString()}, Map.of(), System.in, System.out,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String e = err.toString(StandardCharsets.UTF_8).strip();
        assertThat(code).as(e).isEqualTo(2);
        assertThat(e).startsWith("cairn: config " + f + ": ").doesNotContain("\n");
        return e;
    }

    @Test
    void badInputNamesTheProblem() throws Exception {
        String job = "jobs:\n  - {name: n, type: backup, schedule: '@daily', sources: [/d]}\n";
        assertThat(run("repository: /r\nrepositroy: /typo\n" + job)).endsWith("unknown key 'repositroy' at repositroy");
        assertThat(run("repository: /r\njobs:\n  - {name: n, type: backup, schedule: '@daily', sources: [/d],"
                + " excldues: [x]}\n")).contains("unknown key 'excldues' at jobs[0].excldues");
        assertThat(run(job)).endsWith("no repository (a directory or s3://BUCKET/PREFIX)");
        assertThat(run("repository: /r\njobs:\n  - {name: n, type: backup, schedule: '61 * * * *', sources: [/d]}\n"))
                .contains("job 'n': '61 * * * *': '61' is not a valid minute");
        assertThat(run("repository: /r\njobs:\n  - {name: n, type: copy, schedule: '@daily'}\n"))
                .endsWith("job 'n': type must be backup, forget or check, not 'copy'");
        assertThat(run("repository: /r\njobs:\n  - {name: n, type: backup, schedule: '@daily'}\n"))
                .endsWith("job 'n': a backup needs sources");
        assertThat(run("repository: /r\njobs:\n  - {name: n, type: forget, schedule: '@daily'}\n"))
                .endsWith("job 'n': a forget needs a keep policy");
        assertThat(run("repository: /r\n" + job + "  - {name: n, type: check, schedule: '@daily'}\n"))
                .endsWith("two jobs are named 'n'");
        assertThat(run("repository: /r\njobs: [\n")).contains("while parsing a flow node at jobs");
        assertThat(run("repository: /r\njobs:\n  - {name: n, type: check, schedule: '@daily', retries: lots}\n"))
                .contains("jobs[0].retries");
        assertThat(run("repository: /r\njobs:\n  - {name: n, type: check, schedule: '@daily', retry-delay: soon}\n"))
                .endsWith("job 'n': retry-delay 'soon' is not a duration such as 30s, 5m or 1h30m");
        assertThat(tmp.resolve("cache")).doesNotExist();
    }

    @Test
    void aMissingFileIsNamed() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Cairn.run(new String[] {"daemon", "--config", tmp.resolve("none.yaml").toString()}, Map.of(),
                System.in, System.out, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("none.yaml: no such file");
    }
}

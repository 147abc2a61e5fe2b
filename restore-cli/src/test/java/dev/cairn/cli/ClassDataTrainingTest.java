package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassDataTrainingTest {
    @TempDir
    Path tmp;

    /** Every command of the training workload succeeds, so the archive holds what real commands load. */
    @Test
    void everyTrainingCommandSucceeds() throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8);
        assertThat(ClassDataTraining.train(tmp, out)).as(captured.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(tmp.resolve("restored/data/large.bin"))
                .exists();
    }
}

package dev.cairn.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/** The process's environment and streams, injected so that tests run commands in-process. */
record CliContext(Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
    /** Whether output goes to a person at a terminal (progress lines are drawn only then). */
    boolean interactive() {
        return System.console() != null && out == System.out && !env.containsKey("CI");
    }
}

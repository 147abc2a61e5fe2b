package dev.cairn.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;

/** Entry point of the {@code cairn} command. */
public final class Cairn {
    /** Exit codes, as documented in the README. */
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_PARTIAL = 3;

    private Cairn() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.in, System.out, System.err));
    }

    /** Runs one command line with the given environment and streams; returns the exit code. */
    public static int run(String[] args, Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
        CliContext ctx = new CliContext(env, in, out, err);
        CommandLine cl = new CommandLine(new RootCommand(ctx));
        for (Class<?> command : subcommandsNamedIn(args)) {
            cl.addSubcommand(command);
        }
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("cairn: " + oneLine(ex.getMessage()) + " (see 'cairn "
                    + commandPath(ex.getCommandLine()) + "--help')");
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            err.println("cairn: " + describe(ex));
            if (env.containsKey("CAIRN_DEBUG")) {
                ex.printStackTrace(err);
            }
            return ex instanceof IllegalArgumentException ? EXIT_USAGE : EXIT_FAILED;
        });
        return cl.execute(args);
    }

    /**
     * The subcommands whose names occur among {@code args} (normally the one being run; an option's value that
     * happens to be a command's name only adds that command), or all of them when none does, as for
     * {@code cairn --help}.
     */
    static List<Class<?>> subcommandsNamedIn(String[] args) {
        Set<String> words = new HashSet<>(Arrays.asList(args));
        List<Class<?>> named = new ArrayList<>();
        for (Class<?> command : RootCommand.SUBCOMMANDS) {
            if (words.contains(command.getAnnotation(CommandLine.Command.class).name())) {
                named.add(command);
            }
        }
        return named.isEmpty() ? RootCommand.SUBCOMMANDS : named;
    }

    private static String commandPath(CommandLine cl) {
        StringBuilder sb = new StringBuilder();
        for (CommandLine c = cl; c != null && c.getParent() != null; c = c.getParent()) {
            sb.insert(0, c.getCommandName() + " ");
        }
        return sb.toString();
    }

    /** A one-line description of a failure, naming the object or path involved. */
    static String describe(Throwable ex) {
        String m = ex.getMessage();
        if (ex instanceof java.nio.file.NoSuchFileException e) {
            return e.getFile() + ": " + (e.getReason() != null ? e.getReason() : "no such file or directory");
        }
        if (ex instanceof java.nio.file.AccessDeniedException e) {
            return e.getFile() + ": permission denied";
        }
        if (ex instanceof java.nio.file.FileSystemException e && e.getReason() != null) {
            return (e.getFile() != null ? e.getFile() + ": " : "") + e.getReason();
        }
        if (m == null || m.isBlank()) {
            return ex.getClass().getSimpleName();
        }
        return oneLine(m);
    }

    static String oneLine(String s) {
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim();
    }
}

package dev.cairn.daemon;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/** The daemon's log: one line per event on a stream, as text or (for log collectors) as JSON. */
public final class DaemonLog {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PrintStream out;
    private final boolean json;
    private final Clock clock;

    public DaemonLog(PrintStream out, boolean json, Clock clock) {
        this.out = out;
        this.json = json;
        this.clock = clock;
    }

    public void info(String job, String message, Map<String, ?> fields) {
        log("info", job, message, fields);
    }

    public void warn(String job, String message, Map<String, ?> fields) {
        log("warn", job, message, fields);
    }

    /** One event: level, the job it concerns (or null), a message and extra fields. */
    public void log(String level, String job, String message, Map<String, ?> fields) {
        String time = clock.instant().toString();
        String line;
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("time", time);
            m.put("level", level);
            if (job != null) {
                m.put("job", job);
            }
            m.put("msg", message);
            m.putAll(fields);
            try {
                line = JSON.writeValueAsString(m);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                line = "{\"level\":\"error\",\"msg\":\"unloggable event\"}";
            }
        } else {
            line = time + " " + level.toUpperCase(java.util.Locale.ROOT) + (job != null ? " [" + job + "] " : " ")
                    + message;
        }
        synchronized (out) {
            out.println(line);
        }
    }
}

package dev.cairn.daemon;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cairn.schedule.Schedule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The daemon's configuration file (YAML). Unknown keys, bad schedules, a missing repository or a job without what
 * it needs are refused with one line naming the file and the problem; no job starts. See
 * {@code container/cairn.yaml} for every key.
 */
public record DaemonConfig(
        @JsonProperty("repository") String repository,
        @JsonProperty("password-file") String passwordFile,
        @JsonProperty("password-command") String passwordCommand,
        @JsonProperty("cache-dir") String cacheDir,
        @JsonProperty("s3") S3 s3,
        @JsonProperty("http") Http http,
        @JsonProperty("limits") Limits limits,
        @JsonProperty("time-zone") String timeZone,
        @JsonProperty("stop-grace") String stopGrace,
        @JsonProperty("jobs") List<Job> jobs) {

    /** How to reach an S3 repository. */
    public record S3(@JsonProperty("endpoint") String endpoint, @JsonProperty("region") String region,
            @JsonProperty("path-style") Boolean pathStyle, @JsonProperty("storage-class") String storageClass,
            @JsonProperty("connections") Integer connections) {
    }

    /** Where the metrics and status server listens; port 0 picks a free one. */
    /**
     * The HTTP server. {@code run-requests: true} also accepts {@code POST /jobs/NAME/run}, which queues an extra run
     * of a configured job; off by default, since the server listens on every address unless told otherwise.
     */
    public record Http(@JsonProperty("address") String address, @JsonProperty("port") Integer port,
            @JsonProperty("run-requests") Boolean runRequests) {
        public boolean acceptsRunRequests() {
            return Boolean.TRUE.equals(runRequests);
        }
    }

    /** What a run may take from the storage node. */
    public record Limits(@JsonProperty("threads") Integer threads, @JsonProperty("read-mb-per-s") Double readMbPerS,
            @JsonProperty("upload-mb-per-s") Double uploadMbPerS, @JsonProperty("nice") Integer nice,
            @JsonProperty("ionice-idle") Boolean ioniceIdle) {
    }

    /** A retention policy for a forget job. */
    public record Keep(@JsonProperty("last") Integer last, @JsonProperty("hourly") Integer hourly,
            @JsonProperty("daily") Integer daily, @JsonProperty("weekly") Integer weekly,
            @JsonProperty("monthly") Integer monthly, @JsonProperty("yearly") Integer yearly,
            @JsonProperty("within") String within, @JsonProperty("tags") List<String> tags) {
    }

    /** One job: a backup, a forget (with prune) or a check, on a schedule. */
    public record Job(
            @JsonProperty("name") String name,
            @JsonProperty("type") String type,
            @JsonProperty("schedule") String schedule,
            @JsonProperty("catch-up") Boolean catchUp,
            @JsonProperty("retries") Integer retries,
            @JsonProperty("retry-delay") String retryDelay,
            @JsonProperty("sources") List<String> sources,
            @JsonProperty("excludes") List<String> excludes,
            @JsonProperty("tags") List<String> tags,
            @JsonProperty("keep") Keep keep,
            @JsonProperty("prune") Boolean prune,
            @JsonProperty("max-unused") String maxUnused,
            @JsonProperty("read-data-subset") String readDataSubset) {

        public boolean catchingUp() {
            return Boolean.TRUE.equals(catchUp);
        }

        public int retryCount() {
            return retries == null ? 2 : retries;
        }
    }

    /** The time zone schedules and retention use (the file's, else TZ, else the system's). */
    public ZoneId zone(Map<String, String> env) {
        String tz = timeZone != null ? timeZone : env.get("TZ");
        return tz == null || tz.isBlank() ? ZoneId.systemDefault() : ZoneId.of(tz.startsWith(":") ? tz.substring(1) : tz);
    }

    /** How long a stop waits for a running job to finish or abort. */
    public Duration grace() {
        return stopGrace == null ? Duration.ofSeconds(30) : DaemonConfig.duration(stopGrace, "stop-grace");
    }

    /** Parses {@code 30s}, {@code 5m}, {@code 1h30m}, as {@code @every} does. */
    static Duration duration(String s, String what) {
        Duration d = Schedule.parseDuration(s);
        if (d == null) {
            throw new IllegalArgumentException(what + " '" + s + "' is not a duration such as 30s, 5m or 1h30m");
        }
        return d;
    }

    /** Reads and validates {@code file}. */
    public static DaemonConfig load(Path file, Map<String, String> env) throws IOException {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        DaemonConfig c;
        try {
            c = yaml.readValue(Files.readAllBytes(file), DaemonConfig.class);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("config " + file + ": no such file");
        } catch (UnrecognizedPropertyException e) {
            throw new IllegalArgumentException("config " + file + ": unknown key '" + e.getPropertyName() + "' at "
                    + path(e));
        } catch (JsonMappingException e) {
            throw new IllegalArgumentException("config " + file + ": " + e.getOriginalMessage().split("\n")[0]
                    + " at " + path(e));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("config " + file + ": not valid YAML: "
                    + e.getOriginalMessage().split("\n")[0]);
        }
        if (c == null) {
            throw new IllegalArgumentException("config " + file + " is empty");
        }
        try {
            c.validate(env);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("config " + file + ": " + e.getMessage());
        }
        return c;
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
            } else {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.length() == 0 ? "the top" : sb.toString();
    }

    void validate(Map<String, String> env) {
        if (repository == null || repository.isBlank()) {
            throw new IllegalArgumentException("no repository (a directory or s3://BUCKET/PREFIX)");
        }
        if (passwordFile != null && passwordCommand != null) {
            throw new IllegalArgumentException("give password-file or password-command, not both");
        }
        if (jobs == null || jobs.isEmpty()) {
            throw new IllegalArgumentException("no jobs");
        }
        ZoneId zone = zone(env);
        grace();
        Set<String> names = new HashSet<>();
        for (Job j : jobs) {
            if (j.name() == null || !j.name().matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
                throw new IllegalArgumentException("job name '" + j.name() + "' must be letters, digits, '.', '_' or"
                        + " '-'");
            }
            if (!names.add(j.name())) {
                throw new IllegalArgumentException("two jobs are named '" + j.name() + "'");
            }
            String where = "job '" + j.name() + "': ";
            if (j.schedule() == null) {
                throw new IllegalArgumentException(where + "no schedule");
            }
            try {
                Schedule.parse(j.schedule(), zone).next(java.time.Instant.now());
                if (j.retryDelay() != null) {
                    duration(j.retryDelay(), "retry-delay");
                }
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new IllegalArgumentException(where + e.getMessage());
            }
            if (j.retryCount() < 0 || j.retryCount() > 100) {
                throw new IllegalArgumentException(where + "retries must be between 0 and 100");
            }
            switch (j.type() == null ? "" : j.type()) {
                case "backup" -> {
                    if (j.sources() == null || j.sources().isEmpty()) {
                        throw new IllegalArgumentException(where + "a backup needs sources");
                    }
                }
                case "forget" -> {
                    if (j.keep() == null) {
                        throw new IllegalArgumentException(where + "a forget needs a keep policy");
                    }
                }
                case "check" -> {
                    // read-data-subset is optional
                }
                default -> throw new IllegalArgumentException(where + "type must be backup, forget or check, not '"
                        + j.type() + "'");
            }
        }
    }
}

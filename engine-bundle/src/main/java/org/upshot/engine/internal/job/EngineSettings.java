package org.upshot.engine.internal.job;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.upshot.daemon.DaemonSettings;
import org.upshot.engine.internal.model.ConsoleMode;
import org.upshot.process.Cgroups;

/**
 * What the engine runs with: the daemon's settings, and the facts of the process it
 * runs in.
 *
 * @param daemon the daemon's settings (directories, default console...)
 * @param baseEnvironment the job-environment table every job starts from
 *     ({@code PATH}, {@code TERM})
 * @param daemonEnvironment the daemon's own environment, for bare {@code env KEY}
 * @param cgroups per-job cgroups for exact tracking of forking daemons and for jobs'
 *     {@code cgroup} settings, present only
 *     when {@linkplain Cgroups#isAvailable() available}; empty falls back to the
 *     subreaper and the child list
 * @param sourceEventLimit how many events each source may emit
 */
public record EngineSettings(DaemonSettings daemon, List<String> baseEnvironment,
        Map<String, String> daemonEnvironment, Optional<Cgroups> cgroups, SourceEventLimit sourceEventLimit) {

    public EngineSettings {
        Objects.requireNonNull(daemon, "daemon");
        Objects.requireNonNull(sourceEventLimit, "sourceEventLimit");
        baseEnvironment = List.copyOf(baseEnvironment);
        daemonEnvironment = Map.copyOf(daemonEnvironment);
    }

    /** The settings for a daemon running in this process's environment. */
    public static EngineSettings of(DaemonSettings daemon, Map<String, String> daemonEnvironment,
            Optional<Cgroups> cgroups) {
        return new EngineSettings(daemon, defaultBaseEnvironment(daemonEnvironment), daemonEnvironment, cgroups,
                SourceEventLimit.DEFAULT);
    }

    /** These settings with another event limit for sources. */
    public EngineSettings withSourceEventLimit(SourceEventLimit limit) {
        return new EngineSettings(daemon, baseEnvironment, daemonEnvironment, cgroups, limit);
    }

    /** The default job table: PATH (the daemon's, or a standard one) and TERM if set. */
    public static List<String> defaultBaseEnvironment(Map<String, String> daemonEnv) {
        String path = daemonEnv.getOrDefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        String term = daemonEnv.get("TERM");
        return term == null ? List.of("PATH=" + path) : List.of("PATH=" + path, "TERM=" + term);
    }

    /** Where {@code console log} files go. */
    public Path logDir() {
        return daemon.logDir();
    }

    /** The console of jobs that name none. */
    public ConsoleMode defaultConsole() {
        return daemon.defaultConsole() == DaemonSettings.DefaultConsole.NONE ? ConsoleMode.NONE : ConsoleMode.LOG;
    }

    /** The control socket path; jobs get it as {@code UPSHOT_SOCKET}. */
    public Path controlSocket() {
        return daemon.controlSocket();
    }
}

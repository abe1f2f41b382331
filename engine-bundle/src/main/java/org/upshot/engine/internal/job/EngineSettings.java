package org.upshot.engine.internal.job;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.upshot.process.Cgroups;
import org.upshot.engine.internal.model.ConsoleMode;

/**
 * The daemon settings the engine runs with.
 *
 * @param runtimeDir where {@code control.sock} lives; jobs get {@code UPSHOT_SOCKET}
 * @param logDir where {@code console log} files go
 * @param defaultConsole the console of jobs that name none ({@code log} unless
 *     {@code --default-console none})
 * @param baseEnvironment the job-environment table every job starts from
 *     ({@code PATH}, {@code TERM})
 * @param daemonEnvironment the daemon's own environment, for bare {@code env KEY}
 * @param cgroups per-job cgroups for exact tracking of forking daemons, present only
 *     when {@linkplain Cgroups#isAvailable() available}; empty falls back to the
 *     subreaper and the child list
 */
public record EngineSettings(Path runtimeDir, Path logDir, ConsoleMode defaultConsole,
        List<String> baseEnvironment, Map<String, String> daemonEnvironment,
        Optional<Cgroups> cgroups) {

    public EngineSettings {
        baseEnvironment = List.copyOf(baseEnvironment);
        daemonEnvironment = Map.copyOf(daemonEnvironment);
    }

    /** The default job table: PATH (the daemon's, or a standard one) and TERM if set. */
    public static List<String> defaultBaseEnvironment(Map<String, String> daemonEnv) {
        String path = daemonEnv.getOrDefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        String term = daemonEnv.get("TERM");
        return term == null ? List.of("PATH=" + path) : List.of("PATH=" + path, "TERM=" + term);
    }

    /** The control socket path. */
    public Path controlSocket() {
        return runtimeDir.resolve("control.sock");
    }
}

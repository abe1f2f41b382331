package org.upshot.engine.internal.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.upshot.control.Protocol;
import org.upshot.engine.internal.api.JobControl;

/**
 * Runs the control server while the engine's {@link JobControl} is available, on
 * {@code ${upshot.runtime.dir}/control.sock}.
 */
@Component(immediate = true)
public final class ControlServerComponent {

    private final ControlServer server;

    @Activate
    public ControlServerComponent(@Reference JobControl control, BundleContext context) throws IOException {
        boolean systemMode = "system".equals(context.getProperty("upshot.mode"));
        Path runtimeDir = runtimeDir(context.getProperty("upshot.runtime.dir"), systemMode);
        if (!Files.isDirectory(runtimeDir)) {
            // Session: only the owner may even reach the socket. System: anyone may
            // connect, and the server checks each caller's uid. A directory that already
            // exists keeps its mode: it may be shared (--runtime-dir /run).
            Files.createDirectories(runtimeDir);
            Files.setPosixFilePermissions(runtimeDir,
                    PosixFilePermissions.fromString(systemMode ? "rwxr-xr-x" : "rwx------"));
        }
        String logDir = context.getProperty("upshot.log.dir");
        server = new ControlServer(runtimeDir.resolve(Protocol.SOCKET_NAME), systemMode, control,
                context.getBundle().getVersion().toString(),
                Path.of(logDir != null ? logDir : systemMode ? "/var/log/upshot" : runtimeDir.resolve("log").toString()),
                Boolean.parseBoolean(context.getProperty("upshot.debug")), ControlServer.Limits.defaults());
    }

    @Deactivate
    void deactivate() {
        server.close();
    }

    /** The launcher always passes the directory; these defaults serve a bare framework. */
    static Path runtimeDir(String configured, boolean systemMode) throws IOException {
        if (configured != null && !configured.isEmpty()) {
            return Path.of(configured);
        }
        if (systemMode) {
            return Path.of(Protocol.SYSTEM_RUNTIME_DIR);
        }
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        if (xdg != null && !xdg.isEmpty()) {
            return Path.of(xdg, "upshot");
        }
        return Path.of("/tmp", "upshot-" + Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    }
}

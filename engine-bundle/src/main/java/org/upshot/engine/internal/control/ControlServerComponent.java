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
import org.upshot.daemon.DaemonSettings;
import org.upshot.daemon.DescriptorStore;
import org.upshot.engine.internal.api.JobControl;

/**
 * Runs the control server while the engine's {@link JobControl} is available, on the
 * daemon's {@link DaemonSettings#controlSocket()}.
 */
@Component(immediate = true)
public final class ControlServerComponent {

    private final ControlServer server;

    @Activate
    public ControlServerComponent(@Reference JobControl control, @Reference DescriptorStore descriptors,
            BundleContext context) throws IOException {
        DaemonSettings settings = DaemonSettings.fromProperties(context::getProperty, DaemonSettings.Facts.current());
        boolean systemMode = settings.mode() == DaemonSettings.Mode.SYSTEM;
        Path runtimeDir = settings.runtimeDir();
        if (!Files.isDirectory(runtimeDir)) {
            // Session: only the owner may even reach the socket. System: anyone may
            // connect, and the server checks each caller's uid. A directory that already
            // exists keeps its mode: it may be shared (--runtime-dir /run).
            Files.createDirectories(runtimeDir);
            Files.setPosixFilePermissions(runtimeDir,
                    PosixFilePermissions.fromString(systemMode ? "rwxr-xr-x" : "rwx------"));
        }
        server = new ControlServer(settings.controlSocket(), systemMode, control,
                context.getBundle().getVersion().toString(), settings.logDir(), settings.debug(),
                settings.controlLimits(), descriptors);
    }

    @Deactivate
    void deactivate() {
        server.close();
    }
}

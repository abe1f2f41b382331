package org.upshot.launcher.probe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * A test bundle that the ITs drop into the plugin directory: every 50 ms it writes the
 * framework's bundles and SCR's component configurations to
 * {@code RUNTIME_DIR/probe.txt}, one per line:
 * <pre>
 * bundle BSN STATE
 * component BSN NAME STATE
 * </pre>
 */
public final class ProbeActivator implements BundleActivator {
    /** File name of the report in the runtime directory. */
    public static final String REPORT = "probe.txt";

    private ScheduledExecutorService timer;

    @Override
    public void start(BundleContext context) {
        Path report = Path.of(context.getProperty("upshot.runtime.dir"), REPORT);
        timer = Executors.newSingleThreadScheduledExecutor();
        timer.scheduleWithFixedDelay(() -> write(context, report), 0, 50, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop(BundleContext context) {
        timer.shutdownNow();
    }

    private static void write(BundleContext context, Path report) {
        try {
            List<String> lines = new ArrayList<>();
            for (Bundle bundle : context.getBundles()) {
                lines.add("bundle " + bundle.getSymbolicName() + " " + stateName(bundle.getState()));
            }
            ServiceReference<ServiceComponentRuntime> reference =
                    context.getServiceReference(ServiceComponentRuntime.class);
            ServiceComponentRuntime scr = reference == null ? null : context.getService(reference);
            if (scr != null) {
                for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
                    String prefix = "component " + description.bundle.symbolicName + " " + description.name + " ";
                    if (!scr.isComponentEnabled(description)) {
                        lines.add(prefix + "DISABLED");
                    }
                    for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(description)) {
                        lines.add(prefix + componentState(configuration.state));
                    }
                }
                context.ungetService(reference);
            }
            Path temporary = report.resolveSibling("." + REPORT);
            Files.write(temporary, lines);
            Files.move(temporary, report, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException | LinkageError e) {
            // A scheduled task that throws is silently cancelled: say why the report stopped.
            System.err.println("probe: " + e);
        }
    }

    private static String stateName(int state) {
        return switch (state) {
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            default -> "UNINSTALLED";
        };
    }

    private static String componentState(int state) {
        return switch (state) {
            case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION -> "UNSATISFIED_CONFIGURATION";
            case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> "UNSATISFIED_REFERENCE";
            case ComponentConfigurationDTO.SATISFIED -> "SATISFIED";
            case ComponentConfigurationDTO.ACTIVE -> "ACTIVE";
            case ComponentConfigurationDTO.FAILED_ACTIVATION -> "FAILED_ACTIVATION";
            default -> "STATE-" + state;
        };
    }
}

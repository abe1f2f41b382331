package org.upshot.process.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.felix.framework.Felix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * The kernel bundle in a real Felix with SCR, jnr on the framework class path as the
 * distro puts it: the three process services register, and a spawn through the
 * service reaches a real process. The bundle's classes are not the test's, so the
 * services are driven by reflection through the bundle's own class loader.
 */
@Timeout(60)
class KernelFrameworkIT {

    @TempDir
    Path storage;

    private Felix felix;

    @AfterEach
    void stopFramework() throws Exception {
        if (felix != null) {
            felix.stop();
            felix.waitForStop(10_000);
        }
    }

    @Test
    void processServicesRegisterAndSpawnWorksInsideTheFramework() throws Exception {
        felix = new Felix(Map.of(
                "org.osgi.framework.storage", storage.toString(),
                "org.osgi.framework.storage.clean", "onFirstInit",
                "org.osgi.framework.system.packages.extra",
                "jnr.ffi;version=0.0.0,jnr.ffi.annotations;version=0.0.0,jnr.ffi.byref;version=0.0.0,sun.misc"));
        felix.start();
        BundleContext context = felix.getBundleContext();
        for (Class<?> inJar : List.of(org.osgi.util.function.Function.class, org.osgi.util.promise.Promise.class,
                org.osgi.service.component.ComponentContext.class, org.apache.felix.scr.info.ScrInfo.class)) {
            context.installBundle(jarOf(inJar)).start();
        }
        Bundle kernel = context.installBundle(Path.of(System.getProperty("upshot.kernel.bundle")).toUri().toString());
        kernel.start();

        Object launcher = awaitService(context, "org.upshot.process.ProcessLauncher");
        Object host = awaitService(context, "org.upshot.process.Host");
        assertNotNull(awaitService(context, "org.upshot.process.Cgroups"));
        assertEquals((int) ProcessHandle.current().pid(), host.getClass().getMethod("pid").invoke(host));
        assertTrue(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("upshot-reaper")),
                "the immediate launcher started the reaper");

        Class<?> requestType = kernel.loadClass("org.upshot.process.SpawnRequest");
        Object request = requestType.getMethod("of", List.class, List.class)
                .invoke(null, List.of("sleep", "30"), List.of("PATH=/usr/bin:/bin"));
        Class<?> launcherType = kernel.loadClass("org.upshot.process.ProcessLauncher");
        int pid = (int) launcherType.getMethod("spawn", requestType).invoke(launcher, request);
        ProcFs.awaitSleeping(pid, PosixProcessLauncherTest.SLEEP);
        assertEquals(String.valueOf(pid), ProcFs.statField(pid, 6), "own session");
        launcherType.getMethod("signal", int.class, int.class).invoke(launcher, pid, 9);
        Await.until("sleep " + pid + " reaped", Duration.ofSeconds(10), () -> !ProcFs.dir(pid).toFile().exists());
    }

    /**
     * getAllServiceReferences, not getServiceReference: the test's own copy of the API
     * classes makes the bundle's services look unassignable to the system bundle.
     */
    private static Object awaitService(BundleContext context, String type) {
        Await.until(type + " service", Duration.ofSeconds(20), () -> references(context, type) != null);
        return context.getService(references(context, type)[0]);
    }

    private static ServiceReference<?>[] references(BundleContext context, String type) {
        try {
            return context.getAllServiceReferences(type, null);
        } catch (InvalidSyntaxException cannotHappen) {
            throw new IllegalStateException("no filter given", cannotHappen);
        }
    }

    private static String jarOf(Class<?> type) throws Exception {
        return type.getProtectionDomain().getCodeSource().getLocation().toURI().toString();
    }
}

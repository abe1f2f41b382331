package org.upshot.source.dbus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.upshot.testkit.SourceScenario;

/**
 * The D-Bus source in the contract suite ({@code org.upshot.testkit.SourceContract}). The
 * daemon finds its session bus in {@code DBUS_SESSION_BUS_ADDRESS}, which the build sets for
 * the integration tests to a socket this scenario starts a private
 * {@code dbus-daemon --systemd-activation} on. What is already true at start is an
 * activation request that came before the daemon owned {@code org.freedesktop.systemd1}:
 * the bus keeps it and hands it over at claim time. The real event is a method call to a
 * name whose activation file names the unit {@code dbus-NAME.service}: each trigger calls
 * a new name, so that no pending activation of an earlier one hides it.
 */
public final class DbusScenario implements SourceScenario {

    /** The variable the build sets; without it the scenario cannot reach the daemon's bus. */
    static final String VARIABLE = "DBUS_SESSION_BUS_ADDRESS";
    private static final String ALREADY = "org.upshot.contract.Already";
    private static final String TRIGGERED = "org.upshot.contract.Triggered";
    private PrivateBus bus;
    private int triggers;

    @Override
    public String plugin() {
        return "source-dbus";
    }

    @Override
    public void makeAlreadyTrue(Path work) throws IOException {
        String address = System.getenv(VARIABLE);
        if (address == null || !address.startsWith("unix:path=")) {
            throw new IllegalStateException(VARIABLE + " must name a unix:path= socket for the dbus contract");
        }
        Path socket = Path.of(address.substring("unix:path=".length()));
        Files.createDirectories(socket.getParent());
        bus = new PrivateBus(socket.getParent(), Duration.ofSeconds(120)).start();
        PrivateBus started = bus;
        // the contract has no end hook: the bus goes with the test JVM (or after timeout(1)'s 20 min)
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                started.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "dbus-contract-bus"));
        bus.activationFile(ALREADY, "dbus-" + ALREADY + ".service");
        call(ALREADY);
    }

    @Override
    public String alreadyTrueJob(Path work) {
        return "start on dbus-activate NAME=" + ALREADY;
    }

    @Override
    public String triggeredJob(Path work) {
        return "start on dbus-activate NAME=" + TRIGGERED + "*";
    }

    @Override
    public void trigger(Path work) throws IOException {
        String name = TRIGGERED + (++triggers);
        bus.activationFile(name, "dbus-" + name + ".service");
        call(name);
    }

    /** Sends a call that asks for activation, and leaves it pending. */
    private void call(String name) throws IOException {
        new ProcessBuilder(List.of("dbus-send", "--bus=" + bus.address(), "--print-reply", "--reply-timeout=120000",
                "--dest=" + name, "/", "org.upshot.Contract.Ping"))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** The request reaches the source within a few hundred milliseconds. */
    @Override
    public Duration quietWindow() {
        return Duration.ofSeconds(2);
    }
}

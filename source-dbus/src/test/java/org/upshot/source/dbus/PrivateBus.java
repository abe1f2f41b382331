package org.upshot.source.dbus;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private {@code dbus-daemon --systemd-activation} for one test: its own socket, its own
 * service directory, a policy that allows everything, and a short activation timeout so
 * that a lost activation shows in seconds. Killed by {@link #close}.
 */
public final class PrivateBus implements AutoCloseable {

    private final Path dir;
    private final Path socket;
    private final Path services;
    private final Duration activationTimeout;
    private Process process;
    private String address;

    /** A bus under {@code dir} (made if missing); not started. */
    public PrivateBus(Path dir, Duration activationTimeout) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.socket = dir.resolve("bus");
        this.services = Files.createDirectories(dir.resolve("services"));
        this.activationTimeout = activationTimeout;
    }

    /** A bus that waits 30 s for an activated name, as a bus of a test should. */
    public PrivateBus(Path dir) throws IOException {
        this(dir, Duration.ofSeconds(30));
    }

    /** Starts the bus and returns once it listens. */
    public PrivateBus start() throws IOException {
        Path config = config();
        Files.deleteIfExists(socket);
        // under timeout(1): a bus a crashed test leaves behind goes away by itself
        process = new ProcessBuilder("timeout", "1200", "dbus-daemon", "--config-file=" + config, "--nofork",
                "--print-address", "--systemd-activation").redirectError(dir.resolve("bus.log").toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null) {
            throw new IOException("dbus-daemon did not start: " + Files.readString(dir.resolve("bus.log")));
        }
        address = "unix:path=" + socket;
        return this;
    }

    /** Writes the bus's configuration file, for a bus that a job runs ({@code dbus-daemon --config-file=}). */
    public Path config() throws IOException {
        Path config = dir.resolve("bus.conf");
        Files.writeString(config, """
                <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
                 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
                <busconfig>
                  <type>session</type>
                  <listen>unix:path=%s</listen>
                  <auth>EXTERNAL</auth>
                  <servicedir>%s</servicedir>
                  <limit name="service_start_timeout">%d</limit>
                  <policy context="default">
                    <allow user="*"/>
                    <allow send_destination="*" eavesdrop="true"/>
                    <allow eavesdrop="true"/>
                    <allow own="*"/>
                  </policy>
                </busconfig>
                """.formatted(socket, services, activationTimeout.toMillis()));
        return config;
    }

    /** {@code unix:path=...}. */
    public String address() {
        return address == null ? "unix:path=" + socket : address;
    }

    /** The bus's service directory. */
    public Path services() {
        return services;
    }

    /** The bus daemon's process. */
    public Process process() {
        return process;
    }

    /** Writes an activation file for {@code name} naming {@code unit}. */
    public Path activationFile(String name, String unit) throws IOException {
        return Files.writeString(services.resolve(name + ".service"),
                "[D-BUS Service]\nName=" + name + "\nExec=/bin/false\nSystemdService=" + unit + "\n");
    }

    /** Runs a client ({@code dbus-send}, {@code gdbus}, ...) on this bus; returns status and output. */
    public Result run(Duration timeout, String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("DBUS_SESSION_BUS_ADDRESS", address());
        long started = System.nanoTime();
        Process client = builder.start();
        byte[] output = client.getInputStream().readAllBytes();
        if (!client.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            client.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not end in " + timeout);
        }
        return new Result(client.exitValue(), new String(output, StandardCharsets.UTF_8),
                Duration.ofNanos(System.nanoTime() - started));
    }

    /** {@code dbus-send --print-reply --dest=NAME PATH IFACE.METHOD ARGS...} on this bus. */
    public Result call(String name, String path, String method, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("dbus-send", "--bus=" + address(), "--print-reply",
                "--reply-timeout=60000", "--dest=" + name, path, method));
        command.addAll(List.of(args));
        return run(Duration.ofSeconds(90), command.toArray(String[]::new));
    }

    /** Whether {@code name} has an owner now. */
    public boolean hasOwner(String name) throws IOException, InterruptedException {
        Result result = call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner",
                "string:" + name);
        return result.output().contains("boolean true");
    }

    /** A client's exit status, output (stdout and stderr) and run time. */
    public record Result(int status, String output, Duration took) {}

    /** Kills the bus. */
    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}

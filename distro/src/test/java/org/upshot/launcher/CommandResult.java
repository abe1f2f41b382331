package org.upshot.launcher;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.upshot.control.Protocol;
import org.upshot.testkit.BootedDaemon;

/** A short command's exit status and merged output (run from a JVM without a reaper). */
record CommandResult(int status, String output) {

    static CommandResult run(String... command) throws IOException, InterruptedException {
        return run(Map.of(), List.of(command));
    }

    /** Runs {@code bin/initctl ARGS} against {@code daemon}'s control socket. */
    static CommandResult initctl(BootedDaemon daemon, String... args) throws IOException, InterruptedException {
        return initctl(daemon, Map.of(), args);
    }

    /** Runs {@code bin/initctl ARGS} against {@code daemon} with {@code environment} added. */
    static CommandResult initctl(BootedDaemon daemon, Map<String, String> environment, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(BootedDaemon.distro().resolve("bin/initctl").toString()));
        command.addAll(List.of(args));
        Map<String, String> all = new HashMap<>(environment);
        all.putAll(clientEnvironment(daemon));
        return run(all, command);
    }

    /** What a client of {@code daemon} needs: its socket and the test's JDK. */
    static Map<String, String> clientEnvironment(BootedDaemon daemon) {
        return Map.of(Protocol.SOCKET_ENV, daemon.runtimeDir().resolve(Protocol.SOCKET_NAME).toString(),
                "JAVA_HOME", System.getProperty("java.home"));
    }

    static CommandResult run(Map<String, String> environment, List<String> command)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("still running: " + String.join(" ", command));
        }
        return new CommandResult(process.exitValue(), output);
    }
}

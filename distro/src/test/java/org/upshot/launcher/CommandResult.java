package org.upshot.launcher;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A short command's exit status and merged output (run from a JVM without a reaper). */
record CommandResult(int status, String output) {

    static CommandResult run(String... command) throws IOException, InterruptedException {
        return run(Map.of(), List.of(command));
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

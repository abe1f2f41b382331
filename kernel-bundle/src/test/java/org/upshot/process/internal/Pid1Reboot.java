package org.upshot.process.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import org.upshot.process.Host;

/**
 * Runs as PID 1 of a fresh PID namespace (started by {@link Pid1ReaperTest}) and powers
 * it off. The kernel ends the namespace by killing us with SIGINT, so reaching the end of
 * {@code main} is a failure, written to {@code args[0]}.
 */
public final class Pid1Reboot {

    public static void main(String[] args) throws Exception {
        Path verdict = Path.of(args[0]);
        NativeHost host = new NativeHost();
        if (host.pid() != 1) {
            Files.writeString(verdict, "error pid is " + host.pid() + ", not 1\n");
            return;
        }
        Files.writeString(verdict, "calling reboot\n");
        try {
            host.reboot(Host.RB_POWER_OFF);
            Files.writeString(verdict, "error reboot returned\n");
        } catch (Exception e) {
            Files.writeString(verdict, "error " + e + "\n");
        }
    }
}

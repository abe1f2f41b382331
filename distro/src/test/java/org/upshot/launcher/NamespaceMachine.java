package org.upshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A machine for booting the distribution as PID 1, made before each test of the class
 * that registers it ({@code @RegisterExtension}): a network namespace holding lo and one
 * end ({@link #nsEnd}) of a real veth pair, both up, the daemon run in it by {@code ip
 * netns exec} as PID 1 of a PID namespace of its own. Root only: the test is skipped with
 * a printed reason otherwise. After each test the namespace and the pair are deleted.
 */
final class NamespaceMachine implements BeforeEachCallback, AfterEachCallback {

    /**
     * Runs its arguments with a {@code /run} of the namespace's own, so daemons' pid files
     * and sockets stay off the host's, and with the cgroup2 file system that {@code ip
     * netns exec}'s fresh {@code /sys} lacks: without it several daemons forking at once
     * cannot be told apart ({@code DaemonTracker}'s child-list fallback).
     */
    static final List<String> OWN_RUN = List.of("sh", "-c", "mount -t tmpfs -o mode=0755 upshot-run /run"
            + " && { mountpoint -q /sys/fs/cgroup || mount -t cgroup2 cgroup2 /sys/fs/cgroup; }"
            + " && exec \"$0\" \"$@\"");

    private static final Pattern NSPID = Pattern.compile("\nNSpid:[^\n]*\t(\\d+)\n");

    private final String netns;
    private final String hostEnd;
    /** The veth end inside the namespace, up. */
    final String nsEnd;

    NamespaceMachine() {
        String tag = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xFFFFFF));
        netns = "upshot-boot-" + tag;
        hostEnd = "ubh" + tag;
        nsEnd = "ubn" + tag;
    }

    /** Makes the namespace, or skips the test saying why it cannot. */
    @Override
    public void beforeEach(ExtensionContext context) throws IOException, InterruptedException {
        Class<?> test = context.getRequiredTestClass();
        if (!ProcTable.runningAsRoot()) {
            System.out.println(test.getSimpleName() + " skipped: booting a namespace with a network of its own needs root");
            Assumptions.assumeTrue(false, "needs root");
        }
        Prerequisites.requireInstalled(test, "util-linux iproute2", Path.of(DaemonProcess.UNSHARE), Path.of("/bin/ip"));
        ip("netns", "add", netns);
        ip("link", "add", hostEnd, "type", "veth", "peer", "name", nsEnd);
        ip("link", "set", nsEnd, "netns", netns);
        ip("-n", netns, "link", "set", "lo", "up");
        ip("-n", netns, "link", "set", nsEnd, "up");
    }

    /** What runs {@code unshare ... bin/upshot} in the network namespace. */
    List<String> launcher() {
        return List.of("ip", "netns", "exec", netns);
    }

    /**
     * The pid, as the host sees it, of the live process whose pid is {@code pid} in the
     * PID namespace of {@code daemon}; empty if there is none (or only a zombie).
     */
    static OptionalLong hostPid(DaemonProcess daemon, long pid) {
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            Path namespace = Files.readSymbolicLink(Path.of("/proc", Long.toString(daemon.pid()), "ns/pid"));
            for (Path proc : processes.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    if (!Files.readSymbolicLink(proc.resolve("ns/pid")).equals(namespace)) {
                        continue;
                    }
                    String status = Files.readString(proc.resolve("status"));
                    Matcher nspid = NSPID.matcher(status);
                    if (nspid.find() && nspid.group(1).equals(Long.toString(pid)) && !status.contains("\nState:\tZ")) {
                        return OptionalLong.of(Long.parseLong(proc.getFileName().toString()));
                    }
                } catch (IOException gone) {
                    // ended while we looked
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return OptionalLong.empty();
    }

    /** Runs the distribution's {@code bin/TOOL ARGS} against {@code daemon}. */
    static CommandResult tool(DaemonProcess daemon, String tool, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(DaemonProcess.DISTRO.resolve("bin").resolve(tool).toString()));
        command.addAll(List.of(args));
        return CommandResult.run(CommandResult.clientEnvironment(daemon), command);
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException, InterruptedException {
        // deleting the namespace deletes its veth end, and with it the pair
        CommandResult.run("ip", "netns", "del", netns);
        CommandResult.run("ip", "link", "del", hostEnd);
    }

    private static void ip(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        CommandResult result = CommandResult.run(Map.of(), command);
        assertEquals(0, result.status(), String.join(" ", command) + ": " + result.output());
    }
}

package org.upshot.source.socket.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.upshot.spi.stanza.Readiness;
import org.upshot.spi.stanza.ReadinessTarget;
import org.upshot.spi.stanza.StanzaException;
import org.upshot.spi.stanza.StanzaInput;

/**
 * {@code expect listen [PORT|PATH ...]}: the job is ready once its main process, or one of
 * its descendants, holds a listening socket: on every named port and path, or any at all
 * when none is named. Found by matching the processes' socket descriptors
 * ({@code /proc/PID/fd}) with the listening sockets of their network namespace
 * ({@code /proc/PID/net/{tcp,tcp6,udp,udp6,unix}}), checked from 10 ms on, twice as long
 * each time up to 250 ms: a daemon that takes two seconds to listen costs a dozen looks.
 */
public final class ListenReadiness implements Readiness {

    /** The keyword the parser hands over: {@code expect listen}. */
    public static final String KEYWORD = "expect listen";
    private static final long FIRST_LOOK_MILLIS = 10;
    private static final long LONGEST_WAIT_MILLIS = 250;
    /** {@code __SO_ACCEPTCON} in {@code /proc/net/unix}'s flags: a listening unix socket. */
    private static final int ACCEPTING = 0x10000;

    private final List<String> wanted;
    private final ScheduledExecutorService checks;
    /** The targets being looked at, each with the stage that answers it. */
    private final Map<ReadinessTarget, CompletableFuture<Integer>> looking = new ConcurrentHashMap<>();

    private ListenReadiness(List<String> wanted, ScheduledExecutorService checks) {
        this.wanted = List.copyOf(wanted);
        this.checks = checks;
    }

    /**
     * Reads the stanza's ports and paths.
     *
     * @param checks where the looks run; null offline, where nothing is awaited
     */
    public static ListenReadiness parse(StanzaInput stanza, ScheduledExecutorService checks) throws StanzaException {
        List<String> wanted = new ArrayList<>();
        for (StanzaInput.Word word : stanza.arguments()) {
            String text = word.text();
            boolean port = text.matches("\\d{1,5}") && Integer.parseInt(text) >= 1 && Integer.parseInt(text) <= 65535;
            if (!port && !text.startsWith("/") && !(text.startsWith("@") && text.length() > 1)) {
                throw new StanzaException("expected a port (1-65535) or a unix socket path, not '" + text + "'",
                        word.line(), word.column());
            }
            wanted.add(text);
        }
        return new ListenReadiness(wanted, checks);
    }

    /** The stanza's canonical text. */
    public String settings() {
        return wanted.isEmpty() ? KEYWORD : KEYWORD + " " + String.join(" ", wanted);
    }

    @Override
    public CompletionStage<Integer> await(ReadinessTarget target) {
        CompletableFuture<Integer> ready = new CompletableFuture<>();
        // registered before the first look is scheduled, which may run at once
        looking.put(target, ready);
        checks.schedule(() -> look(target, ready, FIRST_LOOK_MILLIS), FIRST_LOOK_MILLIS, TimeUnit.MILLISECONDS);
        return ready;
    }

    /** One look; if not yet, the next, unless {@link #abandon} removed the target meanwhile. */
    private void look(ReadinessTarget target, CompletableFuture<Integer> ready, long lastDelayMillis) {
        if (looking.get(target) != ready) {
            return; // abandoned
        }
        try {
            if (listening(target.pid())) {
                looking.remove(target, ready);
                ready.complete(target.pid());
                return;
            }
        } catch (RuntimeException e) {
            looking.remove(target, ready);
            ready.completeExceptionally(e);
            return;
        }
        long delay = Math.min(lastDelayMillis * 2, LONGEST_WAIT_MILLIS);
        checks.schedule(() -> look(target, ready, delay), delay, TimeUnit.MILLISECONDS);
    }

    @Override
    public void abandon(ReadinessTarget target) {
        looking.remove(target); // a look under way sees it and schedules no other
    }

    /** Whether {@code pid} and its descendants hold what is wanted. */
    boolean listening(int pid) {
        Set<Long> held = new HashSet<>();
        for (int process : family(pid)) {
            held.addAll(socketInodes(process));
        }
        if (held.isEmpty()) {
            return false;
        }
        Map<Long, String> listeners = listeners(pid);
        Set<String> found = new HashSet<>();
        for (Long inode : held) {
            String where = listeners.get(inode);
            if (where != null) {
                found.add(where);
            }
        }
        return wanted.isEmpty() ? !found.isEmpty() : found.containsAll(wanted);
    }

    /** {@code pid} and every descendant, from the kernel's child lists. */
    private static List<Integer> family(int pid) {
        List<Integer> all = new ArrayList<>();
        List<Integer> next = new ArrayList<>(List.of(pid));
        while (!next.isEmpty() && all.size() < 4096) {
            int process = next.remove(next.size() - 1);
            all.add(process);
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Integer.toString(process),
                    "task"))) {
                for (Path task : tasks) {
                    for (String child : Files.readString(task.resolve("children")).trim().split("\\s+")) {
                        if (!child.isEmpty()) {
                            next.add(Integer.parseInt(child));
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                // gone meanwhile, or a kernel without child lists: the main process alone
            }
        }
        return all;
    }

    private static Set<Long> socketInodes(int pid) {
        Set<Long> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Integer.toString(pid), "fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(Long.parseLong(target.substring(8, target.length() - 1)));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        } catch (IOException e) {
            // gone, or not ours to read
        }
        return inodes;
    }

    /** Listening sockets in {@code pid}'s network namespace, by inode: the port as text, or the unix path. */
    private static Map<Long, String> listeners(int pid) {
        Map<Long, String> listeners = new HashMap<>();
        Path net = Path.of("/proc", Integer.toString(pid), "net");
        // tcp LISTEN is state 0A; a bound udp socket is 07
        for (String table : List.of("tcp", "tcp6")) {
            ipListeners(net.resolve(table), "0A", listeners);
        }
        for (String table : List.of("udp", "udp6")) {
            ipListeners(net.resolve(table), "07", listeners);
        }
        try {
            // abstract names may hold any bytes: decoded leniently, not refused
            String table = new String(Files.readAllBytes(net.resolve("unix")), java.nio.charset.StandardCharsets.UTF_8);
            for (String line : table.split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 8 && f[3].matches("[0-9A-Fa-f]+") && (Integer.parseInt(f[3], 16) & ACCEPTING) != 0) {
                    listeners.put(Long.parseLong(f[6]), f[7]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // no unix table: ports alone
        }
        return listeners;
    }

    private static void ipListeners(Path table, String state, Map<Long, String> into) {
        try {
            List<String> lines = Files.readAllLines(table);
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 10 && f[3].equals(state)) {
                    String local = f[1];
                    int port = Integer.parseInt(local.substring(local.indexOf(':') + 1), 16);
                    into.put(Long.parseLong(f[9]), Integer.toString(port));
                }
            }
        } catch (IOException | RuntimeException e) {
            // no such table in this namespace
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ListenReadiness that && wanted.equals(that.wanted);
    }

    @Override
    public int hashCode() {
        return Objects.hash(wanted);
    }

    @Override
    public String toString() {
        return settings();
    }
}

package org.upshot.process.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.upshot.process.SpawnRequest;

/**
 * Runs as PID 1 of a fresh PID namespace (started by {@link Pid1ReaperTest}): spawns
 * shells that each leave an orphan behind, and writes to {@code args[0]} whether the
 * reaper collected every one of them and left no zombie.
 */
public final class Pid1Stress {

    static final int SHELLS = 1000;

    public static void main(String[] args) throws Exception {
        Path verdict = Path.of(args[0]);
        String result;
        try {
            result = run();
        } catch (Throwable t) {
            result = "error " + t;
        }
        Files.writeString(verdict, result + "\n");
        System.exit(0);
    }

    private static String run() throws Exception {
        NativeHost host = new NativeHost();
        if (host.pid() != 1) {
            return "error pid is " + host.pid() + ", not 1";
        }
        Set<Integer> reaped = ConcurrentHashMap.newKeySet();
        PosixProcessLauncher launcher = new PosixProcessLauncher();
        launcher.addExitListener(exit -> reaped.add(exit.pid()));
        List<String> env = List.of("PATH=/usr/bin:/bin");
        for (int i = 0; i < SHELLS; i++) {
            launcher.spawn(SpawnRequest.of(List.of("sh", "-c", "sleep 0.1 &"), env));
        }
        // Each shell and each orphaned sleep is reaped: at least twice as many pids as shells.
        Await.until("every shell and orphan reaped", Duration.ofSeconds(60),
                () -> reaped.size() >= 2 * SHELLS && othersThanUs() == 0);
        return "ok reaped=" + reaped.size() + " zombies=" + zombies();
    }

    private static int othersThanUs() throws RuntimeException {
        return processes(false);
    }

    private static int zombies() {
        return processes(true);
    }

    private static int processes(boolean zombiesOnly) {
        int count = 0;
        try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path dir : proc) {
                if (dir.getFileName().toString().equals("1")) {
                    continue;
                }
                try {
                    String stat = Files.readString(dir.resolve("stat"));
                    boolean zombie = stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
                    if (!zombiesOnly || zombie) {
                        count++;
                    }
                } catch (IOException gone) {
                    // exited while listing
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return count;
    }
}

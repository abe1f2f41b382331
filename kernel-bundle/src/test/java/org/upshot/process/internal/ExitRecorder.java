package org.upshot.process.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.upshot.process.ExitListener;
import org.upshot.process.ProcessExit;

/** Collects what the reaper reports, so tests can wait for a pid's exit or stop. */
final class ExitRecorder implements ExitListener {

    private final Map<Integer, List<ProcessExit>> byPid = new ConcurrentHashMap<>();

    @Override
    public void exited(ProcessExit exit) {
        byPid.computeIfAbsent(exit.pid(), pid -> new CopyOnWriteArrayList<>()).add(exit);
    }

    /** Every report for {@code pid} so far. */
    List<ProcessExit> reports(int pid) {
        return byPid.getOrDefault(pid, List.of());
    }

    /** Waits for the final (not stopped) report of {@code pid}. */
    ProcessExit awaitExit(int pid, Duration timeout) {
        Await.until("exit of " + pid, timeout,
                () -> reports(pid).stream().anyMatch(exit -> !exit.stopped()));
        return reports(pid).stream().filter(exit -> !exit.stopped()).findFirst().orElseThrow();
    }

    ProcessExit awaitStop(int pid, Duration timeout) {
        Await.until("stop of " + pid, timeout, () -> reports(pid).stream().anyMatch(ProcessExit::stopped));
        return reports(pid).stream().filter(ProcessExit::stopped).findFirst().orElseThrow();
    }
}

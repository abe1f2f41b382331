package org.upshot.process.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads a live process's state from /proc, as the spec asks tests to. */
final class ProcFs {

    private ProcFs() {}

    static Path dir(int pid) {
        return Path.of("/proc", Integer.toString(pid));
    }

    /** clock_nanosleep's number, the call sleep(1) blocks in. */
    private static final String NANOSLEEP = System.getProperty("os.arch").equals("aarch64") ? "115" : "230";

    /**
     * Waits until {@code pid} runs {@code program} and blocks in {@code clock_nanosleep}.
     * posix_spawn returns when the kernel lets go of the parent's memory, before the new
     * image has its arguments and environment, and the dynamic loader then still holds
     * libraries open: only once the program sleeps is its /proc view final.
     */
    static void awaitSleeping(int pid, String program) {
        Await.until(pid + " sleeping in " + program, Duration.ofSeconds(10),
                () -> runs(pid, program) && syscall(pid).startsWith(NANOSLEEP + " "));
    }

    private static String syscall(int pid) {
        try {
            return Files.readString(dir(pid).resolve("syscall"));
        } catch (IOException gone) {
            return "";
        }
    }

    /** The fields of {@code /proc/PID/stat} after the command name, numbered as in proc(5) from 3 (state). */
    static String statField(int pid, int number) {
        String stat = read(dir(pid).resolve("stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return fields[number - 3];
    }

    /** The value of a {@code Key:} line of {@code /proc/PID/status}. */
    static String status(int pid, String key) {
        for (String line : read(dir(pid).resolve("status")).split("\n")) {
            if (line.startsWith(key + ":")) {
                return line.substring(key.length() + 1).strip();
            }
        }
        throw new AssertionError("no " + key + " in status of " + pid);
    }

    /** The open descriptors and their targets. */
    static Map<Integer, String> fds(int pid) {
        Map<Integer, String> fds = new TreeMap<>();
        try (var stream = Files.list(dir(pid).resolve("fd"))) {
            for (Path fd : (Iterable<Path>) stream::iterator) {
                fds.put(Integer.parseInt(fd.getFileName().toString()), Files.readSymbolicLink(fd).toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return fds;
    }

    static List<String> environ(int pid) {
        String raw = read(dir(pid).resolve("environ"));
        List<String> entries = new ArrayList<>();
        for (String entry : raw.split("\0")) {
            if (!entry.isEmpty()) {
                entries.add(entry);
            }
        }
        return entries;
    }

    /** True once the process runs the given program (its exe link), i.e. the final exec happened. */
    static boolean runs(int pid, String program) {
        try {
            return Files.readSymbolicLink(dir(pid).resolve("exe")).toString().equals(program);
        } catch (IOException gone) {
            return false;
        }
    }

    static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package org.upshot.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The processes in {@code /proc}, as the kernel sees them: the tests' proof of what happened. */
final class ProcTable {
    private ProcTable() {
    }

    /** One process: pid, parent, state letter ({@code Z} for a zombie), command name and niceness. */
    record Proc(long pid, long ppid, char state, String command, int nice) {}

    /** The process {@code pid}, or null if it is gone. */
    static Proc process(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException gone) {
            return null;
        }
        // comm may hold spaces and parentheses: the fields resume after the last ')'.
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        String[] fields = stat.substring(close + 2).split(" ");
        return new Proc(pid, Long.parseLong(fields[1]), fields[0].charAt(0), stat.substring(open + 1, close),
                Integer.parseInt(fields[16]));
    }

    /** The environment of process {@code pid}, {@code KEY=VALUE} each. */
    static List<String> environ(long pid) throws IOException {
        return List.of(Files.readString(Path.of("/proc", Long.toString(pid), "environ")).split("\0"));
    }

    /** The children of {@code parent}, zombies included. */
    static List<Proc> childrenOf(long parent) {
        List<Proc> children = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path entry : entries) {
                Proc proc = process(Long.parseLong(entry.getFileName().toString()));
                if (proc != null && proc.ppid() == parent) {
                    children.add(proc);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return children;
    }

    /** The pids (as this JVM sees them) of the processes whose command line, words joined by spaces, is {@code command}. */
    static List<Long> pidsOf(String command) {
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path entry : entries) {
                try {
                    byte[] raw = Files.readAllBytes(entry.resolve("cmdline"));
                    if (new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').trim().equals(command)) {
                        pids.add(Long.parseLong(entry.getFileName().toString()));
                    }
                } catch (IOException gone) {
                    // ended while listed
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return pids;
    }

    /** True when this JVM runs as root, as CI does. */
    static boolean runningAsRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException e) {
            return false;
        }
    }
}

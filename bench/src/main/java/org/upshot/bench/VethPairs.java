package org.upshot.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The veth pairs a {@link UdevBench} run made, by the name of their first end (deleting it
 * deletes the pair), made and deleted with {@code ip}; whatever is left is deleted on
 * close. Only names the caller gives are ever deleted.
 */
final class VethPairs implements AutoCloseable {

    private final Path work;
    private final Set<String> made = new LinkedHashSet<>();

    VethPairs(Path work) {
        this.work = work;
    }

    void add(String a, String b) throws IOException, InterruptedException {
        made.add(a);
        ip("link", "add", a, "type", "veth", "peer", "name", b);
    }

    void delete(String a) throws IOException, InterruptedException {
        ip("link", "del", a);
        made.remove(a);
    }

    /** {@code ip -batch}: {@code pairs} adds, or deletes, of {@code PREFIXNa}/{@code PREFIXNb}. */
    void batch(String prefix, int pairs, boolean add) throws IOException, InterruptedException {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < pairs; i++) {
            lines.append(add ? "link add " + prefix + i + "a type veth peer name " + prefix + i + "b\n"
                    : "link del " + prefix + i + "a\n");
            if (add) {
                made.add(prefix + i + "a");
            }
        }
        runBatch(lines.toString(), false);
        if (!add) {
            for (int i = 0; i < pairs; i++) {
                made.remove(prefix + i + "a");
            }
        }
    }

    /** One {@code ip -batch}: every add, then every delete. */
    void stormBatch(String prefix, int pairs) throws IOException, InterruptedException {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < pairs; i++) {
            lines.append("link add " + prefix + i + "a type veth peer name " + prefix + i + "b\n");
            made.add(prefix + i + "a");
        }
        for (int i = 0; i < pairs; i++) {
            lines.append("link del " + prefix + i + "a\n");
        }
        runBatch(lines.toString(), false);
        for (int i = 0; i < pairs; i++) {
            made.remove(prefix + i + "a");
        }
    }

    private void runBatch(String lines, boolean force) throws IOException, InterruptedException {
        Path file = work.resolve("ip.batch");
        Files.writeString(file, lines);
        if (force) {
            ip("-force", "-batch", file.toString());
        } else {
            ip("-batch", file.toString());
        }
    }

    @Override
    public void close() {
        StringBuilder lines = new StringBuilder();
        int left = 0;
        for (String a : made) {
            if (Files.exists(Path.of("/sys/class/net", a))) {
                lines.append("link del ").append(a).append('\n');
                left++;
            }
        }
        if (left > 0) {
            try {
                runBatch(lines.toString(), true);
                System.err.println("deleted " + left + " veth pairs left by an aborted run");
            } catch (IOException | InterruptedException | RuntimeException e) {
                System.err.println("could not delete " + left + " veth pairs: " + e);
            }
        }
        made.clear();
    }

    private static void ip(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(Arrays.asList(args));
        Process ip = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(ip.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (ip.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output.strip());
        }
    }
}

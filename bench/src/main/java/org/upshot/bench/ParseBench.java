package org.upshot.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.upshot.engine.internal.config.Configuration;
import org.upshot.engine.internal.config.ConfigurationLoader;
import org.upshot.engine.internal.parse.JobParser;
import org.upshot.engine.internal.parse.StanzaLookup;
import org.upshot.engine.internal.parse.ParseResult;

/**
 * Job-file parse throughput over a generated confdir.
 *
 * <pre>
 * java -cp CP org.upshot.bench.ParseBench [files=10000] [rounds=10]
 * java -cp CP org.upshot.bench.ParseBench --generate DIR COUNT
 * </pre>
 *
 * <p>Generates {@code files} realistic job files (five shapes, see {@link #job}) in a
 * temporary confdir, warms up, then times {@code rounds} rounds of two things: the
 * parser alone over texts already in memory, and a full {@link ConfigurationLoader#load()}
 * (walk, stat, read, parse, overrides). Prints files per second for each round and the
 * medians. {@code --generate} only writes the files (used by {@code check-config-cold.sh}).
 */
public final class ParseBench {

    /** CPU time of this thread: a rate per CPU-second does not depend on how loaded the machine is. */
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private ParseBench() {}

    public static void main(String[] args) throws IOException {
        if (args.length == 3 && args[0].equals("--generate")) {
            generate(Path.of(args[1]), Integer.parseInt(args[2]));
            return;
        }
        int files = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Path confdir = Files.createTempDirectory("parse-bench");
        try {
            generate(confdir, files);
            run(confdir, files, rounds);
        } finally {
            try (var walk = Files.walk(confdir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void run(Path confdir, int files, int rounds) throws IOException {
        List<String[]> texts = new ArrayList<>();
        try (var walk = Files.walk(confdir)) {
            for (Path file : walk.filter(f -> f.toString().endsWith(".conf")).toList()) {
                texts.add(new String[] {file.toString(), Files.readString(file)});
            }
        }
        JobParser parser = new JobParser(StanzaLookup.NONE);
        // Warm-up: let the JIT compile the lexer and the stanza handlers.
        for (int i = 0; i < 5; i++) {
            parseAll(parser, texts);
            load(confdir, files);
        }
        double[] parseRates = new double[rounds];
        double[] parseCpuRates = new double[rounds];
        double[] loadRates = new double[rounds];
        double[] loadCpuRates = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            long start = System.nanoTime();
            long cpu = CPU.getCurrentThreadCpuTime();
            parseAll(parser, texts);
            parseRates[round] = texts.size() / ((System.nanoTime() - start) / 1e9);
            parseCpuRates[round] = texts.size() / ((CPU.getCurrentThreadCpuTime() - cpu) / 1e9);
            start = System.nanoTime();
            cpu = CPU.getCurrentThreadCpuTime();
            load(confdir, files);
            loadRates[round] = files / ((System.nanoTime() - start) / 1e9);
            loadCpuRates[round] = files / ((CPU.getCurrentThreadCpuTime() - cpu) / 1e9);
            System.out.printf("round %2d: parse %,9.0f files/s (%,9.0f per CPU-s)   "
                    + "load (walk+read+parse) %,9.0f files/s (%,9.0f per CPU-s)%n",
                    round + 1, parseRates[round], parseCpuRates[round], loadRates[round], loadCpuRates[round]);
        }
        System.out.printf("median over %d rounds of %,d files: parse %,.0f files/s (%,.0f per CPU-s), "
                + "load %,.0f files/s (%,.0f per CPU-s)%n", rounds, files, Stats.median(parseRates), Stats.median(parseCpuRates),
                Stats.median(loadRates), Stats.median(loadCpuRates));
    }

    private static void parseAll(JobParser parser, List<String[]> texts) {
        for (String[] text : texts) {
            ParseResult result = parser.parse("bench", Path.of(text[0]), text[1]);
            if (!result.loaded()) {
                throw new IllegalStateException("generated job did not parse: " + result.diagnostics());
            }
        }
    }

    private static void load(Path confdir, int expected) {
        Configuration configuration = new ConfigurationLoader(List.of(confdir), StanzaLookup.NONE).load();
        if (configuration.jobs().size() != expected || !configuration.diagnostics().isEmpty()) {
            throw new IllegalStateException("loaded " + configuration.jobs().size() + " jobs, "
                    + configuration.diagnostics().size() + " diagnostics");
        }
    }

    /** Writes {@code count} job files, one in ten in a subdirectory, a few with an override. */
    static void generate(Path confdir, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            String name = String.format("job-%05d", i);
            Path dir = i % 10 == 9 ? confdir.resolve("group-" + (i / 100)) : confdir;
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(name + ".conf"), job(i, name));
            if (i % 50 == 7) {
                Files.writeString(dir.resolve(name + ".override"), "manual\nenv OVERRIDDEN=1\n");
            }
        }
    }

    /** A realistic job file, one of five shapes like the corpus's (~20–40 lines). */
    static String job(int i, String name) {
        Map<Integer, String> shapes = Map.of(
                0, """
                        # %1$s - a daemon with a pre-start check
                        description "%1$s daemon"
                        author "Bench <bench@example.org>"

                        start on runlevel [2345]
                        stop on runlevel [!2345]

                        respawn
                        respawn limit 10 5
                        umask 022
                        expect fork
                        console log

                        pre-start script
                            test -x /usr/sbin/%1$s || { stop; exit 0; }
                            mkdir -p -m0755 /var/run/%1$s
                            if [ -f /etc/default/%1$s ]; then
                                . /etc/default/%1$s
                            fi
                        end script

                        exec /usr/sbin/%1$s --pid /var/run/%1$s/pid "$OPTS"
                        """,
                1, """
                        description "%1$s one-shot"
                        start on (local-filesystems and net-device-up IFACE!=lo)
                        task
                        normal exit 0 2 TERM
                        env LANG=C
                        env RETRIES=3
                        script
                          for n in 1 2 3; do
                            /usr/bin/%1$s --once && exit 0
                            sleep $n
                          done
                          exit 2
                        end script
                        """,
                2, """
                        description "%1$s per interface"
                        usage "INTERFACE=name"
                        start on (net-device-added INTERFACE=eth*
                                  or net-device-added INTERFACE=wlan*)
                        stop on net-device-removed INTERFACE=$INTERFACE
                        instance $INTERFACE
                        export INTERFACE
                        emits %1$s-up
                        pre-start exec /sbin/ip link set "$INTERFACE" up
                        exec /usr/sbin/%1$s -i $INTERFACE -f
                        post-start exec initctl emit --no-wait %1$s-up IFACE=$INTERFACE
                        post-stop exec /sbin/ip link set "$INTERFACE" down
                        """,
                3, """
                        description "%1$s with limits"
                        start on started dbus and filesystem
                        stop on stopping dbus
                        setuid nobody
                        setgid nogroup
                        chdir /var/lib/%1$s
                        limit nofile 4096 8192
                        limit core unlimited unlimited
                        nice 5
                        oom score -100
                        kill timeout 30
                        kill signal INT
                        reload signal USR1
                        respawn
                        exec /usr/bin/%1$s --foreground --config /etc/%1$s.conf
                        """,
                4, """
                        start on stopped rc RUNLEVEL=[2345] and (not-container or container CONTAINER=lxc)
                        stop on runlevel [!2345]
                        respawn
                        exec /sbin/getty -8 38400 tty%2$d
                        """);
        return String.format(shapes.get(i % 5), name, i % 64);
    }
}

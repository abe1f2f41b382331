package org.upshot.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.control.Protocol;

class JournalViewTest {

    @TempDir
    Path dir;

    private static Map<String, Object> entry(long t, String kind, String job, String what, long pid) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("t", t);
        entry.put("kind", kind);
        if (job != null) {
            entry.put("job", job);
            entry.put("instance", "");
        }
        entry.put("what", what);
        if (pid != 0) {
            entry.put("pid", pid);
        }
        return entry;
    }

    /** startup at 1 s; db starts at 1.1 s and runs at 1.6 s; web starts after it, runs 20 ms later; bad fails. */
    private static Map<String, Object> reply() {
        List<Object> boot = new ArrayList<>();
        boot.add(entry(1_000_000, "event-queued", null, "startup", 0));
        boot.add(entry(1_100_000, "state", "db", "starting", 0));
        boot.add(entry(1_100_500, "event-queued", null, "starting JOB=db INSTANCE=", 0));
        boot.add(entry(1_200_000, "state", "db", "pre-start", 0));
        boot.add(entry(1_200_100, "spawn", "db", "pre-start", 41));
        boot.add(entry(1_600_000, "state", "db", "running", 0));
        boot.add(entry(1_600_100, "state", "web", "starting", 0));
        boot.add(entry(1_610_000, "state", "bad", "starting", 0));
        boot.add(entry(1_615_000, "state", "bad", "running", 0));
        boot.add(entry(1_619_000, "failed", "bad", "main status 1", 0));
        boot.add(entry(1_620_100, "state", "web", "running", 0));
        boot.add(entry(1_700_000, "event-finished", null, "startup", 0));
        boot.add(entry(2_000_000, "event-queued", null, "runlevel RUNLEVEL=2", 0));
        boot.add(entry(2_500_000, "event-finished", null, "runlevel RUNLEVEL=2", 0));
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("boot", boot);
        reply.put("recent", List.of(entry(9_000_000, "state", "web", "stopping", 0)));
        reply.put("dropped", 3L);
        return reply;
    }

    @Test
    void rowsAreTheStartedInstancesInStartOrderWithTheirFirstRunsTimes() {
        JournalView view = JournalView.boot(reply());
        assertEquals(List.of("db", "web", "bad"), view.rows.stream().map(row -> row.job).toList());
        assertEquals(500_000, view.rows.get(0).startDuration());
        assertEquals(List.of("starting", "pre-start", "running"),
                view.rows.get(0).phases.stream().map(phase -> phase.state).toList());
        assertEquals(2_500_000, view.rows.get(0).phases.get(2).end, "an open phase ends with the journal");
        assertEquals(1, view.rows.get(0).spawns.size());
        assertEquals(1, view.rows.get(2).failures.size());
        assertEquals(List.of("startup", "runlevel RUNLEVEL=2"), view.markers.stream().map(m -> m.what).toList(),
                "the jobs' own events are no markers");
    }

    @Test
    void bootTimeSaysStartupRunlevelsAndTheSlowestJobs() {
        StringBuilder out = new StringBuilder();
        BootTime.render(JournalView.boot(reply()), out);
        assertEquals("startup after 1.000 s, finished after 1.700 s\n"
                + "runlevel RUNLEVEL=2 after 2.000 s, finished after 2.500 s\n"
                + "slowest jobs (starting to running):\n"
                + "    500.0 ms  db\n"
                + "     20.0 ms  web\n"
                + "      5.0 ms  bad\n"
                + "1 job failed during the boot\n", out.toString());
    }

    @Test
    void bootChartIsOneGroupPerRowWithTheTimesAndTheFailureInRed() {
        StringBuilder out = new StringBuilder();
        BootChart.render(JournalView.boot(reply()), out);
        String svg = out.toString();
        assertTrue(svg.contains("<g class=\"job\" data-job=\"db\" data-instance=\"\" data-starting=\"1100000\""
                + " data-running=\"1600000\"><text x=\"4\" y=\"60\">db (500.0 ms)</text>"), svg);
        assertTrue(svg.contains("<g class=\"job failed\" data-job=\"bad\""), svg);
        assertTrue(svg.contains(">failed: main status 1</text>"), svg);
        assertTrue(svg.contains(">runlevel RUNLEVEL=2</text>"), svg);
    }

    @Test
    void journalPrintsEveryEntryAndWhereTheRingDroppedSome() {
        StringBuilder out = new StringBuilder();
        JournalFormat.render(reply(), out);
        String[] lines = out.toString().split("\n");
        assertEquals(16, lines.length);
        assertEquals("     1.200 s  spawn           db  pre-start 41", lines[4]);
        assertEquals("-- 3 entries dropped --", lines[14]);
        assertEquals("     9.000 s  state           web  stopping", lines[15]);
    }

    @Test
    void escapingKeepsTheSvgWellFormed() {
        assertEquals("a&amp;b &lt;c&gt; &quot;d&quot;", BootChart.escape("a&b <c> \"d\""));
        assertEquals("plain", BootChart.escape("plain"));
    }

    @Test
    void durationsAreTenthsOfMillisecondsThenMillisecondsPastASecond() {
        assertEquals("0.0 ms", JournalView.duration(0));
        assertEquals("12.3 ms", JournalView.duration(12_399));
        assertEquals("1.005 s", JournalView.duration(1_005_999));
    }

    @Test
    void logLinesCountFromTheEndAndIgnoreTheClosingNewline() throws IOException {
        Path log = dir.resolve("web.log");
        Files.writeString(log, "one\ntwo\nthree\n");
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            assertEquals(8, Initctl.startOfLastLines(file, 1));
            assertEquals(4, Initctl.startOfLastLines(file, 2));
            assertEquals(0, Initctl.startOfLastLines(file, 3));
            assertEquals(0, Initctl.startOfLastLines(file, 10));
            assertEquals(14, Initctl.startOfLastLines(file, 0));
        }
        Files.writeString(log, "one\ntwo");
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            assertEquals(4, Initctl.startOfLastLines(file, 1), "an unfinished last line is a line");
        }
    }

    @Test
    void dashNWithANumberIsLogsLineCountOtherwiseNoWait() {
        PrintStream discard = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        Initctl log = new Initctl("initctl", Map.of(), discard, discard);
        assertEquals("log", log.session(new String[] {"log", "web", "-n", "20", "-f"}).request().get(Protocol.F_CMD));
        assertEquals(20, log.options().lines);
        assertTrue(log.options().follow);
        Initctl start = new Initctl("initctl", Map.of(), discard, discard);
        assertEquals(Boolean.FALSE, start.session(new String[] {"start", "-n", "web"}).request().get(Protocol.F_WAIT));
        Initctl chart = new Initctl("initctl", Map.of(), discard, discard);
        assertEquals("journal", chart.session(new String[] {"boot-chart", "-o", "x.svg"}).request().get(Protocol.F_CMD));
        assertEquals("x.svg", chart.options().output);
    }
}

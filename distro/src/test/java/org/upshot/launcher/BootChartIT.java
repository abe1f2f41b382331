package org.upshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.control.Command;
import org.upshot.control.Protocol;
import org.upshot.testkit.Await;
import org.upshot.testkit.BootedDaemon;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Issue 19: {@code initctl boot-chart} and {@code boot-time} in the booted distribution.
 * The chart lists every job that started, in the order the journal says they started,
 * with the journal's times; it is XML, and a real browser (headless Chromium) draws it
 * and sees the job names.
 */
class BootChartIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    Path work;

    /** A chain (a, then b, then the task c), a job that fails at once, and one nothing starts. */
    private BootedDaemon boot() throws IOException {
        return BootedDaemon.in(work.resolve("daemon"))
                .job("a", "start on startup\npre-start exec sleep 0.2\nexec sleep 600\n")
                .job("b", "start on started a\npost-start exec sleep 0.1\nexec sleep 600\n")
                .job("c", "start on started b\ntask\nexec sleep 0.1\n")
                .job("broken", "start on startup\nexec false\n")
                .job("idle", "exec sleep 600\n")
                .boot();
    }

    @Test
    @Timeout(120)
    void bootChartListsEveryStartedJobInStartOrderWithTheJournalsTimes() throws Exception {
        try (BootedDaemon daemon = boot()) {
            daemon.request(Command.EMIT, Map.of(Protocol.F_EVENT, "runlevel", Protocol.F_ENV, List.of("RUNLEVEL=2")));
            Await.until(BootedDaemon.WAIT, () -> stateCount(daemon, "c", "waiting") > 0
                    && stateCount(daemon, "broken", "waiting") > 0, () -> "c and broken to come to rest");
            List<Map<?, ?>> journal = bootEntries(daemon);
            Map<String, long[]> expected = startedJobs(journal);
            assertEquals(List.of("a", "b", "c"), expected.keySet().stream().filter(j -> !j.equals("broken")).toList(),
                    "the chain starts in order");

            Path svg = work.resolve("boot.svg");
            CommandResult chart = CommandResult.initctl(daemon, "boot-chart", "--output", svg.toString());
            assertEquals(new CommandResult(0, ""), chart);
            Document document = parse(svg);
            NodeList groups = document.getElementsByTagName("g");
            Map<String, Element> rows = new LinkedHashMap<>();
            for (int i = 0; i < groups.getLength(); i++) {
                Element group = (Element) groups.item(i);
                if (group.getAttribute("class").startsWith("job")) {
                    rows.put(group.getAttribute("data-job"), group);
                }
            }
            assertEquals(List.copyOf(expected.keySet()), List.copyOf(rows.keySet()),
                    "one row per job that started, in start order; idle never started");
            for (Map.Entry<String, long[]> job : expected.entrySet()) {
                Element row = rows.get(job.getKey());
                long starting = job.getValue()[0];
                long running = job.getValue()[1];
                assertEquals(starting, Long.parseLong(row.getAttribute("data-starting")), job.getKey());
                assertEquals(running, Long.parseLong(row.getAttribute("data-running")), job.getKey());
                String label = row.getElementsByTagName("text").item(0).getTextContent();
                assertEquals(job.getKey() + " (" + duration(running - starting) + ")", label);
            }
            assertTrue(expected.get("a")[1] - expected.get("a")[0] >= 200_000, "a's pre-start slept 0.2 s");
            assertEquals("job failed", rows.get("broken").getAttribute("class"));
            assertTrue(rows.get("broken").getTextContent().contains("failed: main status 1"),
                    rows.get("broken").getTextContent());
            assertFalse(rows.get("a").getAttribute("class").contains("failed"));
            assertTrue(document.getDocumentElement().getTextContent().contains("runlevel RUNLEVEL=2"),
                    "the runlevel event is a marker");

            CommandResult time = CommandResult.initctl(daemon, "boot-time");
            assertEquals(0, time.status(), time.output());
            assertTrue(time.output().startsWith("startup after "), time.output());
            assertTrue(time.output().contains("\nrunlevel RUNLEVEL=2 after "), time.output());
            assertTrue(time.output().contains("\n" + pad(duration(expected.get("a")[1] - expected.get("a")[0]))
                    + "  a\n"), time.output());
            assertTrue(time.output().endsWith("1 job failed during the boot\n"), time.output());
        }
    }

    @Test
    @Timeout(120)
    void aBrowserDrawsTheChartAndSeesEveryJobName() throws Exception {
        Prerequisites.requireInstalled(BootChartIT.class, "chromium", CHROMIUM);
        try (BootedDaemon daemon = boot()) {
            Await.until(BootedDaemon.WAIT, () -> stateCount(daemon, "c", "waiting") > 0,
                    () -> "c to finish");
            Path svg = work.resolve("boot.svg");
            assertEquals(0, CommandResult.initctl(daemon, "boot-chart", "-o", svg.toString()).status());

            Path png = work.resolve("boot.png");
            CommandResult shot = chromium("--screenshot=" + png, "--window-size=1720,400", svg.toUri().toString());
            assertEquals(0, shot.status(), shot.output());
            BufferedImage image = ImageIO.read(png.toFile());
            int inked = 0;
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    inked += (image.getRGB(x, y) & 0xffffff) == 0xffffff ? 0 : 1;
                }
            }
            assertTrue(inked > 5_000, "the screenshot is not blank: " + inked + " pixels drawn");

            CommandResult dom = chromium("--dump-dom", svg.toUri().toString());
            assertEquals(0, dom.status(), dom.output());
            for (String job : List.of("a", "b", "c", "broken")) {
                assertTrue(dom.output().contains("data-job=\"" + job + "\"") && dom.output().contains(">" + job + " ("),
                        job + " in the DOM:\n" + dom.output());
            }
        }
    }

    private CommandResult chromium(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--user-data-dir=" + work.resolve("chromium")));
        command.addAll(List.of(args));
        return CommandResult.run(Map.of("HOME", work.toString()), command);
    }

    /** The journal's boot entries. */
    private static List<Map<?, ?>> bootEntries(BootedDaemon daemon) throws IOException {
        List<Map<?, ?>> entries = new ArrayList<>();
        for (Object entry : (List<?>) daemon.request(Command.JOURNAL, Map.of()).get("boot")) {
            entries.add((Map<?, ?>) entry);
        }
        return entries;
    }

    private static long stateCount(BootedDaemon daemon, String job, String state) {
        try {
            return bootEntries(daemon).stream().filter(e -> "state".equals(e.get("kind")) && job.equals(e.get("job"))
                    && state.equals(e.get("what"))).count();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Job → {first starting, first running}, in the order of their first starting. */
    private static Map<String, long[]> startedJobs(List<Map<?, ?>> journal) {
        Map<String, long[]> jobs = new LinkedHashMap<>();
        for (Map<?, ?> entry : journal) {
            if (!"state".equals(entry.get("kind"))) {
                continue;
            }
            String job = (String) entry.get("job");
            long t = ((Number) entry.get("t")).longValue();
            if ("starting".equals(entry.get("what"))) {
                jobs.putIfAbsent(job, new long[] {t, -1});
            } else if ("running".equals(entry.get("what")) && jobs.get(job)[1] < 0) {
                jobs.get(job)[1] = t;
            }
        }
        return jobs;
    }

    private static Document parse(Path svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(svg.toFile());
    }

    /** The chart's rounding: tenths of a millisecond, or milliseconds past a second. */
    private static String duration(long micros) {
        return micros < 1_000_000 ? micros / 1000 + "." + micros % 1000 / 100 + " ms"
                : micros / 1_000_000 + "." + String.format("%03d", micros / 1000 % 1000) + " s";
    }

    private static String pad(String text) {
        return " ".repeat(Math.max(0, 12 - text.length())) + text;
    }
}

package org.upshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.upshot.testkit.BootedDaemon;
import org.w3c.dom.Document;

/**
 * {@code initctl graph} against the booted distribution (issue 19): DOT that Graphviz
 * accepts, and SVG laid out both by Graphviz and by the built-in ELK layout, each parsed
 * as XML and rendered by a headless Chromium: the screenshot is not blank, shows the
 * running job's colour, and the browser's DOM holds every job name.
 */
class GraphIT {

    private static final Path DOT = Path.of("/usr/bin/dot");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final List<String> JOBS = List.of("db", "web", "cache", "nightly");
    /** GraphFormat's fill for running jobs, #9be39b. */
    private static final int RUNNING_RGB = 0x9be39b;

    @TempDir
    Path work;

    @Test
    @Timeout(240)
    void graphIsDotGraphvizAcceptsAndSvgABrowserRendersThroughDotAndThroughElk() throws Exception {
        Prerequisites.requireInstalled(GraphIT.class, "graphviz chromium", DOT, CHROMIUM);
        try (BootedDaemon daemon = BootedDaemon.in(work.resolve("daemon"))
                .plugins(BootedDaemon.distroPlugin("source-timer"))
                .job("db", "emits db-ready\nexec sleep 600\n")
                .job("web", "instance $PORT\nneeds db\nexec sleep 600\n")
                .job("cache", "start on started db\nstop on stopping db\nexec sleep 600\n")
                .job("nightly", "every 1h\ntask\nexec true\n").boot()) {
            daemon.awaitStopped("nightly");
            assertEquals(0, CommandResult.initctl(daemon, "start", "db").status(), daemon.describe("db"));
            daemon.awaitRunning("cache");

            Path dotFile = work.resolve("graph.dot");
            CommandResult graph = CommandResult.initctl(daemon, "graph", "--output", dotFile.toString());
            assertEquals(new CommandResult(0, ""), graph);
            String dot = Files.readString(dotFile);
            for (String expected : List.of(
                    "\"job:db\" [label=\"db\\nrunning\", shape=box, style=\"rounded,filled\", fillcolor=\"#9be39b\"]",
                    "\"job:web\" [label=\"web\\nwaiting\"",
                    "\"job:db\" -> \"event:db-ready\" [label=\"emits\"",
                    "\"job:db\" -> \"job:cache\" [label=\"start on started\"",
                    "\"job:db\" -> \"job:cache\" [label=\"stop on stopping\"",
                    "\"job:web\" -> \"job:db\" [label=\"needs\"",
                    "\"plugin:every\" -> \"job:nightly\" [label=\"every 1h\"")) {
                assertTrue(dot.contains(expected), expected + " in\n" + dot);
            }
            assertEquals(0, CommandResult.run(DOT.toString(), "-Tsvg", "-o", work.resolve("check.svg").toString(),
                    dotFile.toString()).status(), "dot accepts the DOT");

            CommandResult restricted = CommandResult.initctl(daemon, "graph", "nightly");
            assertTrue(restricted.output().contains("\"job:nightly\"") && !restricted.output().contains("\"job:db\""),
                    restricted.output());

            Path viaDot = work.resolve("via-dot.svg");
            assertEquals(0, CommandResult.initctl(daemon, "graph", "--format", "svg", "-o", viaDot.toString()).status());
            assertTrue(Files.readString(viaDot).contains("laid out by Graphviz "), "laid out by dot");
            Path viaElk = work.resolve("via-elk.svg");
            assertEquals(new CommandResult(0, ""), CommandResult.initctl(daemon, Map.of("UPSHOT_GRAPH_LAYOUT", "elk"),
                    "graph", "--output", viaElk.toString()));
            assertTrue(Files.readString(viaElk).contains("laid out by Eclipse ELK"), "laid out by ELK");

            for (Path svg : List.of(viaDot, viaElk)) {
                Document document = parse(svg);
                assertEquals("svg", document.getDocumentElement().getLocalName(), svg.toString());
                renderedInChromium(svg);
            }
        }
    }

    private static Document parse(Path svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        // Graphviz names the SVG 1.1 DTD; the parse must not go to the network for it.
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return factory.newDocumentBuilder().parse(svg.toFile());
    }

    /** Chromium's screenshot of {@code svg} is not blank and shows green; its DOM names every job. */
    private void renderedInChromium(Path svg) throws IOException, InterruptedException {
        String name = svg.getFileName().toString();
        Path png = work.resolve(name + ".png");
        CommandResult shot = chromium(name, "--screenshot=" + png, "--window-size=1600,1000", svg.toUri().toString());
        assertEquals(0, shot.status(), shot.output());
        BufferedImage image = ImageIO.read(png.toFile());
        int inked = 0;
        int green = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                if (rgb != 0xffffff) {
                    inked++;
                }
                if (near(rgb, RUNNING_RGB)) {
                    green++;
                }
            }
        }
        assertTrue(inked > 2000, name + ": only " + inked + " non-white pixels");
        assertTrue(green > 200, name + ": the running job's fill shows in only " + green + " pixels");

        CommandResult dom = chromium(name, "--dump-dom", svg.toUri().toString());
        assertEquals(0, dom.status(), dom.output());
        for (String job : JOBS) {
            assertTrue(Pattern.compile(">\\s*" + job + "\\s*<").matcher(dom.output()).find(),
                    name + ": " + job + " in the browser's DOM\n" + dom.output());
        }
    }

    private CommandResult chromium(String name, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--user-data-dir=" + work.resolve("chromium-" + name)));
        command.addAll(List.of(args));
        return CommandResult.run(Map.of(), command);
    }

    private static boolean near(int rgb, int expected) {
        for (int shift = 0; shift <= 16; shift += 8) {
            if (Math.abs((rgb >> shift & 0xff) - (expected >> shift & 0xff)) > 6) {
                return false;
            }
        }
        return true;
    }
}

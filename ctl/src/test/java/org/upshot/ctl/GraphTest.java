package org.upshot.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.upshot.control.Json;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** {@code initctl graph}'s model from show-config and list replies, its DOT, and the ELK SVG. */
class GraphTest {

    private static final String CONFIG = "{\"jobs\":["
            + "{\"name\":\"db\",\"emits\":[\"db-ready\"],\"startOn\":\"startup\",\"startOnOperands\":[\"startup (job:, env:)\"],"
            + "\"needs\":[],\"instance\":\"\",\"stanzas\":{}},"
            + "{\"name\":\"web\",\"emits\":[],\"startOn\":\"(started db and net-up IFACE=eth0)\","
            + "\"startOnOperands\":[\"started (job: db, env:)\",\"net-up (job:, env: IFACE=eth0)\"],"
            + "\"stopOn\":\"stopping db\",\"stopOnOperands\":[\"stopping (job: db, env:)\"],"
            + "\"needs\":[\"db\"],\"instance\":\"$PORT\",\"stanzas\":{\"socket\":[[\"tcp\",\"127.0.0.1:$PORT\"]]}},"
            + "{\"name\":\"odd \\\"quote\\\\\",\"emits\":[],\"needs\":[],\"instance\":\"\",\"stanzas\":{}}"
            + "]}";
    private static final String LIST = "{\"jobs\":["
            + "{\"name\":\"db\",\"instances\":[{\"job\":\"db\",\"instance\":\"\",\"goal\":\"start\",\"state\":\"running\"}]},"
            + "{\"name\":\"web\",\"instances\":[]},{\"name\":\"odd \\\"quote\\\\\",\"instances\":[]}]}";

    private static GraphModel graph(String... only) {
        return GraphModel.of((List<?>) Json.parseObject(CONFIG).get("jobs"), (List<?>) Json.parseObject(LIST).get("jobs"),
                List.of(only));
    }

    @Test
    void conditionsEmitsNeedsAndStanzasBecomeLabelledEdges() {
        List<String> edges = graph().edges().stream()
                .map(e -> e.from() + " -> " + e.to() + " [" + e.label() + "]").toList();
        assertEquals(List.of(
                "job:db -> event:db-ready [emits]",
                "event:startup -> job:db [start on]",
                "job:db -> job:web [start on started]",
                "event:net-up -> job:web [start on IFACE=eth0]",
                "job:db -> job:web [stop on stopping]",
                "job:web -> job:db [needs]",
                "plugin:socket -> job:web [socket tcp 127.0.0.1:$PORT]"), edges);
    }

    @Test
    void namedJobsKeepOnlyTheirNeighbours() {
        List<String> ids = graph("odd \"quote\\").nodes().stream().map(GraphModel.Node::id).toList();
        assertEquals(List.of("job:odd \"quote\\"), ids);
        List<String> db = graph("db").nodes().stream().map(GraphModel.Node::id).toList();
        assertEquals(List.of("job:db", "job:web", "event:db-ready", "event:startup"), db);
        assertThrows(Initctl.Failure.class, () -> graph("nosuch"));
    }

    @Test
    void dotQuotesEveryNameAndColoursJobsByState() {
        String dot = GraphFormat.dot(graph());
        assertTrue(dot.contains("\"job:odd \\\"quote\\\\\" [label=\"odd \\\"quote\\\\\\nwaiting\""), dot);
        assertTrue(dot.contains("\"job:db\" [label=\"db\\nrunning\", shape=box, style=\"rounded,filled\", "
                + "fillcolor=\"#9be39b\"]"), dot);
        assertTrue(dot.contains("\"job:web\" -> \"job:db\" [label=\"needs\", style=bold"), dot);
        assertEquals("\"a\\\\b\\\"c\\nd\"", GraphFormat.quote("a\\b\"c\nd\u0001"));
    }

    @Test
    void elkLaysOutAnSvgThatParsesWithEveryJobNamed() throws Exception {
        String svg = GraphFormat.svg(graph(), Map.of(GraphFormat.LAYOUT_ENV, "elk"));
        Document document = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", document.getDocumentElement().getTagName());
        String text = document.getDocumentElement().getTextContent();
        for (String name : List.of("db", "web", "odd \"quote\\", "db-ready", "socket tcp 127.0.0.1:$PORT")) {
            assertTrue(text.contains(name), name + " in " + text);
        }
        assertEquals(4, document.getElementsByTagName("rect").getLength() - 1, "three jobs and a plugin, plus the background");
        assertEquals(3, document.getElementsByTagName("ellipse").getLength(), "db-ready, startup, net-up");
        assertEquals(7, document.getElementsByTagName("path").getLength() - 1, "an edge each, plus the arrow head");
        assertTrue(svg.contains("<g class=\"n job running\" id=\"job:db\">"), svg);
        assertTrue(svg.contains(".running>rect{fill:#9be39b}") && svg.contains(".stop-on>path{stroke:#b22222;"), svg);
        assertTrue(svg.contains("<g class=\"e needs\"><path d=\"M"), svg);
        Pattern fraction = Pattern.compile(" (x|y|dy|cx|cy|rx|ry|width|height|d)=\"[^\"]*\\d\\.\\d");
        assertFalse(fraction.matcher(svg).find(), "whole-unit coordinates: " + svg);
    }

    @Test
    void aLargeGraphThroughDotHasEveryEdgeAndLabelPlacedInside() throws Exception {
        Path dot = Path.of("/usr/bin/dot");
        Assumptions.assumeTrue(Files.isExecutable(dot), "no " + dot + ": apt-get install graphviz (./run-tests does as root)");
        List<Map<String, Object>> config = new ArrayList<>();
        for (int i = 0; i < 320; i++) {
            config.add(Map.of("name", "job-" + i, "startOnOperands",
                    i == 0 ? List.of() : List.of("started (job: job-" + (i - 1) / 10 + ", env:)")));
        }
        GraphModel graph = GraphModel.of(config, List.of(), List.of());
        assertTrue(GraphFormat.quick(graph), "past the size dot gets xlabels and iteration limits for");
        String svg = GraphFormat.svg(graph, Map.of(GraphFormat.LAYOUT_ENV, "dot", "PATH", dot.getParent().toString()));
        Element root = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8))).getDocumentElement();
        double width = Double.parseDouble(root.getAttribute("width"));
        double height = Double.parseDouble(root.getAttribute("height"));
        NodeList groups = root.getElementsByTagName("g");
        int edges = 0;
        for (int i = 0; i < groups.getLength(); i++) {
            Element group = (Element) groups.item(i);
            if (group.getAttribute("class").startsWith("e ")) {
                edges++;
                Element label = (Element) group.getElementsByTagName("text").item(0);
                assertEquals("start on started", label.getTextContent());
                double x = Double.parseDouble(label.getAttribute("x"));
                double y = Double.parseDouble(label.getAttribute("y"));
                assertTrue(x > 0 && x < width && y > 0 && y < height, "label at " + x + "," + y);
            }
        }
        assertEquals(319, edges);
    }

    @Test
    void anElkLayoutPastItsTimeLimitFailsSayingSo() {
        Initctl.Failure failure = assertThrows(Initctl.Failure.class, () -> GraphFormat.elk(graph(), Duration.ZERO));
        assertTrue(failure.getMessage().contains("did not finish within 0 s; name fewer jobs"), failure.getMessage());
    }

    @Test
    void anUnknownLayoutIsRefused() {
        assertThrows(Initctl.Failure.class, () -> GraphFormat.svg(graph(), Map.of(GraphFormat.LAYOUT_ENV, "neato")));
    }
}

package org.upshot.ctl.elk;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.elk.alg.layered.options.LayeredMetaDataProvider;
import org.eclipse.elk.alg.layered.options.LayeredOptions;
import org.eclipse.elk.core.RecursiveGraphLayoutEngine;
import org.eclipse.elk.core.data.LayoutMetaDataService;
import org.eclipse.elk.core.math.ElkPadding;
import org.eclipse.elk.core.options.CoreOptions;
import org.eclipse.elk.core.options.Direction;
import org.eclipse.elk.core.options.EdgeRouting;
import org.eclipse.elk.core.util.BasicProgressMonitor;
import org.eclipse.elk.graph.ElkBendPoint;
import org.eclipse.elk.graph.ElkEdge;
import org.eclipse.elk.graph.ElkEdgeSection;
import org.eclipse.elk.graph.ElkLabel;
import org.eclipse.elk.graph.ElkNode;
import org.eclipse.elk.graph.util.ElkGraphUtil;

/**
 * {@code initctl graph --format svg} without Graphviz: Eclipse ELK's layered algorithm
 * places the nodes, edge labels and edge routes; this class only draws the result as
 * plain SVG (rectangles, ellipses, polylines, text).
 *
 * <p>Loaded in a class loader of its own over the ELK jars (see {@code GraphFormat}), so
 * its interface is JDK types only. Text is measured by a fixed per-character width: the
 * client has no font metrics, and the browser's sans-serif is close enough at 11 px.
 */
public final class ElkSvg {

    private static final double CHAR_WIDTH = 6.6;
    private static final double LINE_HEIGHT = 14;
    private static final double EDGE_CHAR_WIDTH = 5.4;
    private static final double EDGE_LINE_HEIGHT = 11;

    private ElkSvg() {
    }

    /**
     * Lays out and draws a graph.
     *
     * @param nodes {@code {id, shape (box|ellipse|component), label (lines by \n), fill colour}}
     * @param edges {@code {from id, to id, label, style (solid|dashed|dotted|bold), colour}}
     * @return a standalone SVG document
     */
    public static String render(List<String[]> nodes, List<String[]> edges) {
        LayoutMetaDataService.getInstance().registerLayoutMetaDataProviders(new LayeredMetaDataProvider());
        ElkNode root = ElkGraphUtil.createGraph();
        root.setProperty(CoreOptions.ALGORITHM, LayeredOptions.ALGORITHM_ID);
        root.setProperty(CoreOptions.DIRECTION, Direction.RIGHT);
        root.setProperty(CoreOptions.EDGE_ROUTING, EdgeRouting.POLYLINE);
        root.setProperty(CoreOptions.PADDING, new ElkPadding(12));
        root.setProperty(LayeredOptions.SPACING_NODE_NODE_BETWEEN_LAYERS, 40.0);
        Map<String, ElkNode> byId = new HashMap<>();
        Map<ElkNode, String[]> spec = new HashMap<>();
        for (String[] node : nodes) {
            ElkNode elk = ElkGraphUtil.createNode(root);
            elk.setIdentifier(node[0]);
            String[] lines = node[2].split("\n", -1);
            double width = longest(lines) * CHAR_WIDTH + ("ellipse".equals(node[1]) ? 36 : 20);
            elk.setDimensions(Math.max(width, 40), lines.length * LINE_HEIGHT + 14);
            byId.put(node[0], elk);
            spec.put(elk, node);
        }
        Map<ElkEdge, String[]> edgeSpec = new HashMap<>();
        for (String[] edge : edges) {
            ElkEdge elk = ElkGraphUtil.createSimpleEdge(byId.get(edge[0]), byId.get(edge[1]));
            if (!edge[2].isEmpty()) {
                ElkLabel label = ElkGraphUtil.createLabel(edge[2], elk);
                label.setDimensions(edge[2].length() * EDGE_CHAR_WIDTH + 4, EDGE_LINE_HEIGHT + 2);
            }
            edgeSpec.put(elk, edge);
        }
        new RecursiveGraphLayoutEngine().layout(root, new BasicProgressMonitor());

        StringBuilder svg = new StringBuilder(4096 + 400 * (nodes.size() + edges.size()));
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(num(root.getWidth()))
                .append("\" height=\"").append(num(root.getHeight())).append("\" viewBox=\"0 0 ")
                .append(num(root.getWidth())).append(' ').append(num(root.getHeight())).append("\">\n")
                .append("<title>upshot</title>\n")
                .append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\""
                        + " markerHeight=\"8\" markerUnits=\"userSpaceOnUse\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\""
                        + " fill=\"context-stroke\"/></marker></defs>\n")
                .append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n")
                .append("<g font-family=\"sans-serif\" font-size=\"11\">\n");
        for (ElkEdge edge : root.getContainedEdges()) {
            edge(edge, edgeSpec.get(edge), svg);
        }
        for (ElkNode node : root.getChildren()) {
            node(node, spec.get(node), svg);
        }
        return svg.append("</g>\n</svg>\n").toString();
    }

    private static void node(ElkNode node, String[] spec, StringBuilder svg) {
        double x = node.getX();
        double y = node.getY();
        double w = node.getWidth();
        double h = node.getHeight();
        svg.append("<g class=\"node\" id=\"").append(xml(spec[0])).append("\">");
        if ("ellipse".equals(spec[1])) {
            svg.append("<ellipse cx=\"").append(num(x + w / 2)).append("\" cy=\"").append(num(y + h / 2))
                    .append("\" rx=\"").append(num(w / 2)).append("\" ry=\"").append(num(h / 2)).append('"');
        } else {
            svg.append("<rect x=\"").append(num(x)).append("\" y=\"").append(num(y)).append("\" width=\"")
                    .append(num(w)).append("\" height=\"").append(num(h)).append('"');
            svg.append("box".equals(spec[1]) ? " rx=\"6\"" : "");
        }
        svg.append(" fill=\"").append(xml(spec[3])).append("\" stroke=\"#333333\"/>");
        String[] lines = spec[2].split("\n", -1);
        double first = y + h / 2 - (lines.length - 1) * LINE_HEIGHT / 2 + 4;
        svg.append("<text text-anchor=\"middle\">");
        for (int i = 0; i < lines.length; i++) {
            svg.append("<tspan x=\"").append(num(x + w / 2)).append("\" y=\"").append(num(first + i * LINE_HEIGHT))
                    .append('"').append(i == 0 ? " font-weight=\"bold\"" : "").append('>')
                    .append(xml(lines[i])).append("</tspan>");
        }
        svg.append("</text></g>\n");
    }

    private static void edge(ElkEdge edge, String[] spec, StringBuilder svg) {
        svg.append("<g class=\"edge\">");
        for (ElkEdgeSection section : edge.getSections()) {
            svg.append("<polyline fill=\"none\" stroke=\"").append(xml(spec[4])).append('"');
            switch (spec[3]) {
                case "dashed": svg.append(" stroke-dasharray=\"6,3\""); break;
                case "dotted": svg.append(" stroke-dasharray=\"2,3\""); break;
                case "bold": svg.append(" stroke-width=\"2\""); break;
                default: break;
            }
            svg.append(" marker-end=\"url(#arrow)\" points=\"")
                    .append(num(section.getStartX())).append(',').append(num(section.getStartY()));
            for (ElkBendPoint bend : section.getBendPoints()) {
                svg.append(' ').append(num(bend.getX())).append(',').append(num(bend.getY()));
            }
            svg.append(' ').append(num(section.getEndX())).append(',').append(num(section.getEndY())).append("\"/>");
        }
        for (ElkLabel label : edge.getLabels()) {
            svg.append("<text font-size=\"9\" fill=\"").append(xml(spec[4])).append("\" x=\"")
                    .append(num(label.getX() + 2)).append("\" y=\"").append(num(label.getY() + EDGE_LINE_HEIGHT - 1))
                    .append("\">").append(xml(label.getText())).append("</text>");
        }
        svg.append("</g>\n");
    }

    private static int longest(String[] lines) {
        int longest = 0;
        for (String line : lines) {
            longest = Math.max(longest, line.length());
        }
        return longest;
    }

    private static String num(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    /** Text and attribute values: the five XML specials escaped, control characters dropped. */
    static String xml(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&': out.append("&amp;"); break;
                case '<': out.append("&lt;"); break;
                case '>': out.append("&gt;"); break;
                case '"': out.append("&quot;"); break;
                case '\'': out.append("&apos;"); break;
                default:
                    if (c >= ' ' || c == '\t') {
                        out.append(c);
                    }
            }
        }
        return out.toString();
    }
}

package org.upshot.ctl;

import java.util.List;
import java.util.Locale;

/**
 * Draws a laid-out {@link GraphModel} as SVG, whichever layout placed it (Graphviz's
 * {@code dot} or ELK, see {@link GraphFormat}). Kept small for large graphs: the look of
 * every kind of node and edge is one CSS rule in the document's style sheet, elements
 * carry only a class and whole-unit coordinates, and a node's text lines share one
 * {@code <text>}.
 */
final class GraphSvg {

    /** Font size of node text and the height of one of its lines. */
    static final double LINE_HEIGHT = 14;
    /** Height of an edge label's line (9 px text). */
    static final double EDGE_LINE_HEIGHT = 11;
    /** Approximate advance of one character of node text, 11 px sans-serif: the client has no font metrics. */
    private static final double CHAR_WIDTH = 6.6;
    /** Approximate advance of one character of edge label text, 9 px sans-serif. */
    private static final double EDGE_CHAR_WIDTH = 5.4;

    /** A node's place: top-left corner and size, in SVG units (y down). */
    record Box(double x, double y, double width, double height) {
    }

    /**
     * An edge's route in SVG units: {@code points} as x, y pairs, through which a polyline
     * runs, or, when {@code curved}, a start point and cubic Bézier segments (three points
     * each) followed by the arrow's tip; the label's centre, NaN when it has none.
     */
    record Route(double[] points, boolean curved, double labelX, double labelY) {
    }

    /**
     * A graph's layout: its size, a box per node and a route per edge, in the order of
     * {@link GraphModel#nodes()} and {@link GraphModel#edges()}.
     *
     * @param generator what laid it out, for a comment in the document
     */
    record Layout(double width, double height, List<Box> nodes, List<Route> edges, String generator) {
    }

    private GraphSvg() {
    }

    /** The width and height a node needs for its label, as the ELK layout sizes it. */
    static double[] size(GraphModel.Node node) {
        String[] lines = node.label().split("\n", -1);
        int longest = 0;
        for (String line : lines) {
            longest = Math.max(longest, line.length());
        }
        double width = longest * CHAR_WIDTH + (node.kind() == GraphModel.Kind.EVENT ? 36 : 20);
        return new double[] {Math.max(width, 40), lines.length * LINE_HEIGHT + 14};
    }

    /** The width and height of an edge's label, {0, 0} when it has none. */
    static double[] labelSize(GraphModel.Edge edge) {
        return edge.label().isEmpty() ? new double[2]
                : new double[] {edge.label().length() * EDGE_CHAR_WIDTH + 4, EDGE_LINE_HEIGHT + 2};
    }

    /** The SVG document of {@code graph} placed by {@code layout}. */
    static String write(GraphModel graph, Layout layout) {
        List<GraphModel.Node> nodes = graph.nodes();
        List<GraphModel.Edge> edges = graph.edges();
        StringBuilder svg = new StringBuilder(4096 + 160 * (nodes.size() + edges.size()));
        String width = num(layout.width());
        String height = num(layout.height());
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- upshot job graph, laid out by ")
                .append(BootChart.escape(layout.generator()).replace("--", "- -")).append(" -->\n")
                .append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(width).append(' ')
                .append(height).append("\">\n<title>upshot</title>\n");
        styleSheet(svg);
        svg.append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\""
                + " markerHeight=\"8\" markerUnits=\"userSpaceOnUse\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\""
                + " fill=\"context-stroke\"/></marker></defs>\n")
                .append("<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n");
        for (int i = 0; i < edges.size(); i++) {
            edge(edges.get(i), layout.edges().get(i), svg);
        }
        for (int i = 0; i < nodes.size(); i++) {
            node(nodes.get(i), layout.nodes().get(i), svg);
        }
        return svg.append("</svg>\n").toString();
    }

    /** One rule per kind of node, job state and relation, from the colours DOT uses too. */
    private static void styleSheet(StringBuilder svg) {
        svg.append("<style>\ntext{font:11px sans-serif;text-anchor:middle}\n.n>rect,.n>ellipse{stroke:#333}\n")
                .append(".n>text>:first-child{font-weight:bold}\n.event>ellipse{fill:#fff}\n")
                .append(".plugin>rect{fill:").append(GraphFormat.PLUGIN_FILL).append("}\n")
                .append(".e>path{fill:none;marker-end:url(#arrow)}\n.e>text{font-size:9px}\n");
        for (GraphFormat.State state : GraphFormat.State.values()) {
            svg.append('.').append(state.cssClass()).append(">rect{fill:").append(state.fill()).append("}\n");
        }
        for (GraphModel.Relation relation : GraphModel.Relation.values()) {
            String cssClass = cssClass(relation);
            String colour = GraphFormat.colour(relation);
            svg.append('.').append(cssClass).append(">path{stroke:").append(colour);
            switch (GraphFormat.style(relation)) {
                case "dashed": svg.append(";stroke-dasharray:6,3"); break;
                case "dotted": svg.append(";stroke-dasharray:2,3"); break;
                case "bold": svg.append(";stroke-width:2"); break;
                default: break;
            }
            svg.append("}\n.").append(cssClass).append(">text{fill:").append(colour).append("}\n");
        }
        svg.append("</style>\n");
    }

    private static String cssClass(GraphModel.Relation relation) {
        return relation.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static void node(GraphModel.Node node, Box box, StringBuilder svg) {
        double x = box.x();
        double y = box.y();
        double w = box.width();
        double h = box.height();
        svg.append("<g class=\"n ");
        switch (node.kind()) {
            case JOB: svg.append("job ").append(GraphFormat.State.of(node.state()).cssClass()); break;
            case EVENT: svg.append("event"); break;
            default: svg.append("plugin");
        }
        svg.append("\" id=\"").append(BootChart.escape(node.id())).append("\">");
        if (node.kind() == GraphModel.Kind.EVENT) {
            svg.append("<ellipse cx=\"").append(num(x + w / 2)).append("\" cy=\"").append(num(y + h / 2))
                    .append("\" rx=\"").append(num(w / 2)).append("\" ry=\"").append(num(h / 2)).append("\"/>");
        } else {
            svg.append("<rect x=\"").append(num(x)).append("\" y=\"").append(num(y)).append("\" width=\"")
                    .append(num(w)).append("\" height=\"").append(num(h))
                    .append(node.kind() == GraphModel.Kind.JOB ? "\" rx=\"6\"/>" : "\"/>");
        }
        String[] lines = node.label().split("\n", -1);
        String centre = num(x + w / 2);
        svg.append("<text>");
        for (int i = 0; i < lines.length; i++) {
            svg.append("<tspan x=\"").append(centre);
            if (i == 0) {
                svg.append("\" y=\"").append(num(y + h / 2 - (lines.length - 1) * LINE_HEIGHT / 2 + 4));
            } else {
                svg.append("\" dy=\"").append(num(LINE_HEIGHT));
            }
            svg.append("\">").append(BootChart.escape(lines[i])).append("</tspan>");
        }
        svg.append("</text></g>\n");
    }

    private static void edge(GraphModel.Edge edge, Route route, StringBuilder svg) {
        double[] p = route.points();
        svg.append("<g class=\"e ").append(cssClass(edge.relation())).append("\"><path d=\"M")
                .append(num(p[0])).append(' ').append(num(p[1]));
        // Curved: Bézier segments from the start, then a line to the arrow's tip.
        int curveEnd = route.curved() ? p.length - 2 : 2;
        if (curveEnd > 2) {
            svg.append('C');
            point(p, 2, curveEnd, svg);
        }
        if (curveEnd < p.length) {
            svg.append('L');
            point(p, curveEnd, p.length, svg);
        }
        svg.append("\"/>");
        if (!Double.isNaN(route.labelX())) {
            svg.append("<text x=\"").append(num(route.labelX())).append("\" y=\"").append(num(route.labelY() + 3))
                    .append("\">").append(BootChart.escape(edge.label())).append("</text>");
        }
        svg.append("</g>\n");
    }

    /** Coordinates {@code from} (inclusive) to {@code to} of {@code p}, space separated. */
    private static void point(double[] p, int from, int to, StringBuilder svg) {
        for (int i = from; i < to; i++) {
            if (i > from) {
                svg.append(' ');
            }
            svg.append(num(p[i]));
        }
    }

    /** Whole units: a pixel's precision is all a diagram needs, and it halves the digits. */
    private static String num(double value) {
        return Long.toString(Math.round(value));
    }
}

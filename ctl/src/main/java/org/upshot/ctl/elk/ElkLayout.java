package org.upshot.ctl.elk;

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
 * places the nodes, edge labels and edge routes, left to right; {@code GraphSvg} draws
 * the result.
 *
 * <p>Loaded in a class loader of its own over the ELK jars (see {@code GraphFormat}), so
 * its interface is JDK types only.
 */
public final class ElkLayout {

    private ElkLayout() {
    }

    /**
     * Lays out a graph.
     *
     * @param nodes each node's {@code {width, height}}
     * @param edges each edge's {@code {from, to}}, indexes into {@code nodes}
     * @param labels each edge's label, empty for none
     * @param labelSizes each edge's label {@code {width, height}}
     * @param quick one ordering tried per crossing minimisation rather than ELK's default
     *     seven (its thoroughness), for a large graph
     * @return {@code {width, height}} of the whole; then per node its top-left
     *     {@code {x, y}}; then per edge {@code {label centre x, y (NaN without a label),
     *     then the x, y of its route's points}}
     */
    public static double[][] layout(double[][] nodes, int[][] edges, String[] labels, double[][] labelSizes,
            boolean quick) {
        LayoutMetaDataService.getInstance().registerLayoutMetaDataProviders(new LayeredMetaDataProvider());
        ElkNode root = ElkGraphUtil.createGraph();
        root.setProperty(CoreOptions.ALGORITHM, LayeredOptions.ALGORITHM_ID);
        root.setProperty(CoreOptions.DIRECTION, Direction.RIGHT);
        root.setProperty(CoreOptions.EDGE_ROUTING, EdgeRouting.POLYLINE);
        root.setProperty(CoreOptions.PADDING, new ElkPadding(12));
        root.setProperty(LayeredOptions.SPACING_NODE_NODE_BETWEEN_LAYERS, 40.0);
        if (quick) {
            root.setProperty(LayeredOptions.THOROUGHNESS, 1);
        }
        ElkNode[] placed = new ElkNode[nodes.length];
        for (int i = 0; i < nodes.length; i++) {
            placed[i] = ElkGraphUtil.createNode(root);
            placed[i].setDimensions(nodes[i][0], nodes[i][1]);
        }
        ElkEdge[] routed = new ElkEdge[edges.length];
        for (int i = 0; i < edges.length; i++) {
            routed[i] = ElkGraphUtil.createSimpleEdge(placed[edges[i][0]], placed[edges[i][1]]);
            if (!labels[i].isEmpty()) {  // (ELK places no label without text)
                ElkGraphUtil.createLabel(labels[i], routed[i]).setDimensions(labelSizes[i][0], labelSizes[i][1]);
            }
        }
        new RecursiveGraphLayoutEngine().layout(root, new BasicProgressMonitor());

        double[][] out = new double[1 + nodes.length + edges.length][];
        out[0] = new double[] {root.getWidth(), root.getHeight()};
        for (int i = 0; i < nodes.length; i++) {
            out[1 + i] = new double[] {placed[i].getX(), placed[i].getY()};
        }
        for (int i = 0; i < edges.length; i++) {
            out[1 + nodes.length + i] = route(routed[i]);
        }
        return out;
    }

    private static double[] route(ElkEdge edge) {
        int points = 0;
        for (ElkEdgeSection section : edge.getSections()) {
            points += 2 + section.getBendPoints().size();
        }
        double[] out = new double[2 + 2 * points];
        out[0] = Double.NaN;
        out[1] = Double.NaN;
        for (ElkLabel label : edge.getLabels()) {
            out[0] = label.getX() + label.getWidth() / 2;
            out[1] = label.getY() + label.getHeight() / 2;
        }
        int at = 2;
        for (ElkEdgeSection section : edge.getSections()) {
            out[at++] = section.getStartX();
            out[at++] = section.getStartY();
            for (ElkBendPoint bend : section.getBendPoints()) {
                out[at++] = bend.getX();
                out[at++] = bend.getY();
            }
            out[at++] = section.getEndX();
            out[at++] = section.getEndY();
        }
        return out;
    }
}

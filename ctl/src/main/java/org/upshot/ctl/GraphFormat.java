package org.upshot.ctl;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.upshot.control.Json;

/**
 * {@code initctl graph}'s output: Graphviz DOT, or SVG laid out by Graphviz's {@code dot}
 * when it is on the {@code PATH}, else by Eclipse ELK's layered algorithm
 * ({@code org.upshot.ctl.elk.ElkLayout}, with the ELK jars of {@code lib/graph/}, loaded
 * only then so that every other command starts as light as before); {@link GraphSvg}
 * draws either layout.
 *
 * <p>{@code UPSHOT_GRAPH_LAYOUT=dot|elk} forces one layout (the tests use it to reach ELK
 * on a machine that has Graphviz).
 */
final class GraphFormat {

    /** The environment variable that forces a layout. */
    static final String LAYOUT_ENV = "UPSHOT_GRAPH_LAYOUT";

    /**
     * Layered layouts (dot's and ELK's) are quadratic and worse on long chains, where each
     * long edge becomes a dummy node per layer; past this a layout is given up on.
     */
    static final Duration LAYOUT_TIMEOUT = Duration.ofSeconds(60);

    /** What a layout that took too long or too much memory advises. */
    private static final String SMALLER =
            "name fewer jobs (initctl graph JOB...), or write DOT (--format dot) for a viewer";

    /** Graphs of more nodes than this are laid out the {@link #quick} way. */
    private static final int QUICK_ABOVE = 300;

    /** dot's limits: crossing minimisation (mclimit) and network simplex (nslimit) iterations. */
    private static final List<String> DOT_LIMITS = List.of("-Gmclimit=0.1", "-Gnslimit=1");

    private static final double POINTS_PER_INCH = 72;
    private static final double DOT_MARGIN = 4;

    private static final String ELK_LAYOUT = "org.upshot.ctl.elk.ElkLayout";
    private static final String ELK_PROBE = "org.eclipse.elk.core.RecursiveGraphLayoutEngine";

    private GraphFormat() {
    }

    /** Fill colour of plugin nodes. */
    static final String PLUGIN_FILL = "#e6dcf5";

    /** How a job's state is coloured: the state words grouped, with their fill and SVG class. */
    enum State {
        RUNNING("#9be39b"), WAITING("#e8e8e8"), STARTING("#fff1a8"), STOPPING("#ffc680"), FAILED("#ff9a9a"),
        OTHER("#ffffff");

        private final String fill;

        State(String fill) {
            this.fill = fill;
        }

        String fill() {
            return fill;
        }

        String cssClass() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The group of a state as {@link GraphModel} words it ({@code running}, {@code pre-start (2 instances)}). */
        static State of(String state) {
            int space = state.indexOf(' ');
            switch (space < 0 ? state : state.substring(0, space)) {
                case "running": return RUNNING;
                case "waiting": return WAITING;
                case "starting": case "security": case "pre-start": case "spawned": case "post-start": return STARTING;
                case "stopping": case "pre-stop": case "killed": case "post-stop": return STOPPING;
                case "missing": case "failed": return FAILED;
                default: return OTHER;
            }
        }
    }

    /** Line style by relation, as DOT and the ELK renderer draw it. */
    static String style(GraphModel.Relation relation) {
        switch (relation) {
            case STOP_ON: return "dashed";
            case NEEDS: return "bold";
            case STANZA: return "dotted";
            default: return "solid";
        }
    }

    /** Line colour by relation. */
    static String colour(GraphModel.Relation relation) {
        switch (relation) {
            case START_ON: return "#1a7f1a";
            case STOP_ON: return "#b22222";
            case EMITS: return "#1f4fa8";
            case NEEDS: return "#000000";
            default: return "#6a3d9a";
        }
    }

    /** The graph in DOT, left to right; every identifier and label is a quoted string. */
    static String dot(GraphModel graph) {
        return dot(graph, false);
    }

    /**
     * DOT; {@code forLayout}, as {@code initctl graph} gives it to dot to place: each edge
     * has its index as {@code id}, to find it in dot's layout, and in a {@link #quick}
     * graph its label is an {@code xlabel}, placed after the layout rather than as a node
     * of its own (a label node per edge doubles dot's ranks, and its time).
     */
    private static String dot(GraphModel graph, boolean forLayout) {
        String label = forLayout && quick(graph) ? " [xlabel=" : " [label=";
        StringBuilder out = new StringBuilder(256 + 160 * graph.nodes().size());
        out.append("digraph upshot {\n  rankdir=LR;\n  node [fontname=\"sans-serif\", fontsize=11];\n")
                .append("  edge [fontname=\"sans-serif\", fontsize=9];\n");
        for (GraphModel.Node node : graph.nodes()) {
            out.append("  ").append(quote(node.id())).append(" [label=").append(quote(node.label()));
            switch (node.kind()) {
                case JOB:
                    out.append(", shape=box, style=\"rounded,filled\", fillcolor=\"")
                            .append(State.of(node.state()).fill()).append('"');
                    break;
                case EVENT:
                    out.append(", shape=ellipse");
                    break;
                default:
                    out.append(", shape=component, style=filled, fillcolor=\"").append(PLUGIN_FILL).append('"');
            }
            out.append("];\n");
        }
        List<GraphModel.Edge> edges = graph.edges();
        for (int i = 0; i < edges.size(); i++) {
            GraphModel.Edge edge = edges.get(i);
            out.append("  ").append(quote(edge.from())).append(" -> ").append(quote(edge.to()))
                    .append(label).append(quote(edge.label()))
                    .append(", style=").append(style(edge.relation()))
                    .append(", color=\"").append(colour(edge.relation())).append('"');
            if (forLayout) {
                out.append(", id=").append(i);
            }
            out.append("];\n");
        }
        return out.append("}\n").toString();
    }

    /**
     * A DOT quoted string: backslash and double quote escaped, a line break as DOT's
     * centred-line escape {@code \n}, other control characters dropped (DOT has no escape
     * for them).
     */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c >= ' ') {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /** The graph as SVG, laid out by {@code dot} when it is there (or forced), else by ELK. */
    static String svg(GraphModel graph, Map<String, String> environment) {
        String layout = environment.getOrDefault(LAYOUT_ENV, "");
        Path dot = "elk".equals(layout) ? null : findOnPath("dot", environment.get("PATH"));
        if (dot == null && "dot".equals(layout)) {
            throw new Initctl.Failure("graph: " + LAYOUT_ENV + "=dot but no dot on the PATH (install Graphviz)");
        }
        if (!layout.isEmpty() && !"dot".equals(layout) && !"elk".equals(layout)) {
            throw new Initctl.Failure("graph: " + LAYOUT_ENV + " must be dot or elk, not " + layout);
        }
        return GraphSvg.write(graph, dot != null ? graphviz(dot, graph) : elk(graph, LAYOUT_TIMEOUT));
    }

    static Path findOnPath(String program, String path) {
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, program);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    /**
     * Whether the layouts trade looks for time on this graph: dot with edge labels placed
     * after the layout and its ordering and positioning passes held to fractions of their
     * default iteration limits ({@link #DOT_LIMITS}), ELK with one ordering tried rather
     * than seven. On 1,000 jobs dot's defaults take about nine times as long, for a picture
     * too large to tell the difference (bench/README.md, "initctl graph").
     */
    static boolean quick(GraphModel graph) {
        return graph.nodes().size() > QUICK_ABOVE;
    }

    /**
     * Lays the graph out with {@code dot -Tjson0} (positions only, no drawing) and reads
     * the places back, {@link #quick}ly for a large graph. Runs through temporary
     * files rather than pipes so that the wait can have a timeout without a second thread
     * draining stdout. A client-side filter run once: ProcessBuilder is fine here, unlike
     * in the daemon.
     */
    private static GraphSvg.Layout graphviz(Path dot, GraphModel graph) {
        Path input = null;
        Path output = null;
        Process process = null;
        try {
            input = Files.createTempFile("initctl-graph", ".dot");
            output = Files.createTempFile("initctl-graph", ".json");
            Files.writeString(input, dot(graph, true), StandardCharsets.UTF_8);
            List<String> command = new ArrayList<>(List.of(dot.toString(), "-Tjson0", "-o", output.toString()));
            if (quick(graph)) {
                command.addAll(DOT_LIMITS);
            }
            command.add(input.toString());
            process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            if (!process.waitFor(LAYOUT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new Initctl.Failure("graph: " + dot + " did not finish within " + LAYOUT_TIMEOUT.toSeconds()
                        + " s; " + SMALLER);
            }
            if (process.exitValue() != 0) {
                throw new Initctl.Failure("graph: " + dot + " -Tjson0 failed with status " + process.exitValue());
            }
            return dotLayout(graph, Json.parseObject(Files.readString(output, StandardCharsets.UTF_8)), dot);
        } catch (IOException | IllegalArgumentException | ClassCastException | NullPointerException e) {
            throw new Initctl.Failure("graph: cannot run " + dot + " or read its layout: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Initctl.Failure("graph: interrupted");
        } finally {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
            }
            delete(input);
            delete(output);
        }
    }

    /**
     * The places in dot's JSON: points with y up, node centres ({@code pos}) and sizes in
     * inches, edge splines ({@code pos}: {@code e,TIP} then Bézier points) and label
     * centres ({@code lp}, or {@code xlp} for an {@code xlabel}); turned to SVG units, y
     * down, with a margin.
     */
    private static GraphSvg.Layout dotLayout(GraphModel graph, Map<String, Object> json, Path dot) {
        double[] bounds = numbers(String.valueOf(json.get("bb")));
        double top = bounds[3] + DOT_MARGIN;
        Map<String, Integer> index = new HashMap<>();
        List<GraphModel.Node> nodes = graph.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            index.put(nodes.get(i).id(), i);
        }
        GraphSvg.Box[] boxes = new GraphSvg.Box[nodes.size()];
        for (Object item : (List<?>) json.get("objects")) {
            Map<String, Object> node = StatusFormat.asMap(item);
            double[] centre = numbers((String) node.get("pos"));
            double width = Double.parseDouble((String) node.get("width")) * POINTS_PER_INCH;
            double height = Double.parseDouble((String) node.get("height")) * POINTS_PER_INCH;
            boxes[index.get((String) node.get("name"))] = new GraphSvg.Box(centre[0] + DOT_MARGIN - width / 2,
                    top - centre[1] - height / 2, width, height);
        }
        GraphSvg.Route[] routes = new GraphSvg.Route[graph.edges().size()];
        for (Object item : (List<?>) json.get("edges")) {
            Map<String, Object> edge = StatusFormat.asMap(item);
            String spline = (String) edge.get("pos");
            int end = spline.indexOf(';');  // a second spline only with options this DOT never sets
            List<String> points = new ArrayList<>(List.of((end < 0 ? spline : spline.substring(0, end)).split(" ")));
            String tip = points.get(0).startsWith("e,") ? points.remove(0).substring(2) : points.get(points.size() - 1);
            points.add(tip);
            double[] route = new double[2 * points.size()];
            for (int i = 0; i < points.size(); i++) {
                double[] point = numbers(points.get(i));
                route[2 * i] = point[0] + DOT_MARGIN;
                route[2 * i + 1] = top - point[1];
            }
            Object labelAt = edge.containsKey("xlp") ? edge.get("xlp") : edge.get("lp");
            double[] label = labelAt == null ? new double[] {Double.NaN, Double.NaN} : numbers((String) labelAt);
            routes[Integer.parseInt(String.valueOf(edge.get("id")))] =
                    new GraphSvg.Route(route, true, label[0] + DOT_MARGIN, top - label[1]);
        }
        return new GraphSvg.Layout(bounds[2] + 2 * DOT_MARGIN, bounds[3] + 2 * DOT_MARGIN, List.of(boxes),
                List.of(routes), "Graphviz " + dot);
    }

    /** The numbers of dot's {@code "x,y"} and {@code "x0,y0,x1,y1"} attributes. */
    private static double[] numbers(String commaSeparated) {
        String[] parts = commaSeparated.split(",");
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Double.parseDouble(parts[i]);
        }
        return out;
    }

    private static void delete(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a temporary file left behind is all that is lost
            }
        }
    }

    /**
     * Lays the graph out with ELK in a class loader of its own, on a thread of its own
     * given {@code timeout}: layered layouts grow steeply with long chains, and ELK has no
     * time limit of its own. On time-out or when the heap runs out, initctl says so and
     * exits (the daemon thread goes with it). Sizes and places cross the loader boundary
     * as arrays.
     */
    static GraphSvg.Layout elk(GraphModel graph, Duration timeout) {
        List<GraphModel.Node> nodes = graph.nodes();
        List<GraphModel.Edge> edges = graph.edges();
        Map<String, Integer> index = new HashMap<>();
        double[][] sizes = new double[nodes.size()][];
        for (int i = 0; i < nodes.size(); i++) {
            index.put(nodes.get(i).id(), i);
            sizes[i] = GraphSvg.size(nodes.get(i));
        }
        int[][] ends = new int[edges.size()][];
        String[] labels = new String[edges.size()];
        double[][] labelSizes = new double[edges.size()][];
        for (int i = 0; i < edges.size(); i++) {
            ends[i] = new int[] {index.get(edges.get(i).from()), index.get(edges.get(i).to())};
            labels[i] = edges.get(i).label();
            labelSizes[i] = GraphSvg.labelSize(edges.get(i));
        }
        FutureTask<double[][]> task = new FutureTask<>(() -> (double[][]) Class.forName(ELK_LAYOUT, true, elkLoader())
                .getMethod("layout", double[][].class, int[][].class, String[].class, double[][].class, boolean.class)
                .invoke(null, sizes, ends, labels, labelSizes, quick(graph)));
        Thread thread = new Thread(task, "elk-layout");
        thread.setDaemon(true);
        thread.start();
        double[][] placed;
        try {
            placed = task.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new Initctl.Failure("graph: the ELK layout of " + nodes.size() + " nodes and " + edges.size()
                    + " edges did not finish within " + timeout.toSeconds() + " s; " + SMALLER);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Initctl.Failure("graph: interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InvocationTargetException) {
                cause = cause.getCause();
            }
            if (cause instanceof OutOfMemoryError) {
                throw new Initctl.Failure("graph: the ELK layout of " + nodes.size() + " nodes and " + edges.size()
                        + " edges ran out of memory; " + SMALLER);
            }
            if (cause instanceof ReflectiveOperationException || cause instanceof IOException
                    || cause instanceof URISyntaxException || cause instanceof LinkageError) {
                throw new Initctl.Failure("graph: no built-in layout (ELK jars in lib/graph/): " + cause);
            }
            throw new Initctl.Failure("graph: ELK layout failed: " + cause);
        }
        List<GraphSvg.Box> boxes = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            boxes.add(new GraphSvg.Box(placed[1 + i][0], placed[1 + i][1], sizes[i][0], sizes[i][1]));
        }
        List<GraphSvg.Route> routes = new ArrayList<>();
        for (int i = 0; i < edges.size(); i++) {
            double[] route = placed[1 + nodes.size() + i];
            routes.add(new GraphSvg.Route(Arrays.copyOfRange(route, 2, route.length), false, route[0], route[1]));
        }
        return new GraphSvg.Layout(placed[0][0], placed[0][1], boxes, routes, "Eclipse ELK layered");
    }

    /**
     * The loader for ELK: ctl's own where ELK is already on the class path (the build's
     * tests), else a fresh one over ctl's jar and every jar of {@code graph/} beside it.
     */
    private static ClassLoader elkLoader() throws IOException, URISyntaxException {
        ClassLoader own = GraphFormat.class.getClassLoader();
        try {
            Class.forName(ELK_PROBE, false, own);
            return own;
        } catch (ClassNotFoundException e) {
            // the distribution: ELK stays off initctl's class path (see bin/initctl)
        }
        Path ctl = Path.of(GraphFormat.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path dir = ctl.resolveSibling("graph");
        List<URL> urls = new ArrayList<>();
        urls.add(url(ctl));
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, "*.jar")) {
            for (Path jar : jars) {
                urls.add(url(jar));
            }
        }
        return new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
    }

    private static URL url(Path path) throws MalformedURLException {
        return path.toUri().toURL();
    }
}

package org.upshot.ctl;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code initctl graph}'s output: Graphviz DOT, or SVG laid out by Graphviz's {@code dot}
 * when it is on the {@code PATH}, else by Eclipse ELK's layered algorithm
 * ({@code org.upshot.ctl.elk.ElkSvg}, with the ELK jars of {@code lib/graph/}, loaded
 * only then so that every other command starts as light as before).
 *
 * <p>{@code UPSHOT_GRAPH_LAYOUT=dot|elk} forces one layout (the tests use it to reach ELK
 * on a machine that has Graphviz).
 */
final class GraphFormat {

    /** The environment variable that forces a layout. */
    static final String LAYOUT_ENV = "UPSHOT_GRAPH_LAYOUT";

    /** Graphviz's dot is quadratic and worse on long edges; past this it is given up on. */
    private static final int DOT_TIMEOUT_SECONDS = 60;

    private static final String ELK_RENDERER = "org.upshot.ctl.elk.ElkSvg";
    private static final String ELK_PROBE = "org.eclipse.elk.core.RecursiveGraphLayoutEngine";

    private GraphFormat() {
    }

    /** Fill colour by state word; jobs in a state not listed are white. */
    static String fill(String state) {
        int space = state.indexOf(' ');
        String word = space < 0 ? state : state.substring(0, space);
        switch (word) {
            case "running": return "#9be39b";
            case "waiting": return "#e8e8e8";
            case "starting": case "security": case "pre-start": case "spawned": case "post-start": return "#fff1a8";
            case "stopping": case "pre-stop": case "killed": case "post-stop": return "#ffc680";
            case "missing": case "failed": return "#ff9a9a";
            default: return "#ffffff";
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
        StringBuilder out = new StringBuilder(256 + 160 * graph.nodes().size());
        out.append("digraph upshot {\n  rankdir=LR;\n  node [fontname=\"sans-serif\", fontsize=11];\n")
                .append("  edge [fontname=\"sans-serif\", fontsize=9];\n");
        for (GraphModel.Node node : graph.nodes()) {
            out.append("  ").append(quote(node.id())).append(" [label=").append(quote(node.label()));
            switch (node.kind()) {
                case JOB:
                    out.append(", shape=box, style=\"rounded,filled\", fillcolor=\"")
                            .append(fill(node.state())).append('"');
                    break;
                case EVENT:
                    out.append(", shape=ellipse");
                    break;
                default:
                    out.append(", shape=component, style=filled, fillcolor=\"#e6dcf5\"");
            }
            out.append("];\n");
        }
        for (GraphModel.Edge edge : graph.edges()) {
            out.append("  ").append(quote(edge.from())).append(" -> ").append(quote(edge.to()))
                    .append(" [label=").append(quote(edge.label()))
                    .append(", style=").append(style(edge.relation()))
                    .append(", color=\"").append(colour(edge.relation())).append("\"];\n");
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

    /** The graph as SVG: through {@code dot -Tsvg} when it is there (or forced), else ELK. */
    static String svg(GraphModel graph, Map<String, String> environment) {
        String layout = environment.getOrDefault(LAYOUT_ENV, "");
        Path dot = "elk".equals(layout) ? null : findOnPath("dot", environment.get("PATH"));
        if (dot == null && "dot".equals(layout)) {
            throw new Initctl.Failure("graph: " + LAYOUT_ENV + "=dot but no dot on the PATH (install Graphviz)");
        }
        if (!layout.isEmpty() && !"dot".equals(layout) && !"elk".equals(layout)) {
            throw new Initctl.Failure("graph: " + LAYOUT_ENV + " must be dot or elk, not " + layout);
        }
        return dot != null ? graphviz(dot, dot(graph)) : elk(graph);
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
     * Runs {@code dot -Tsvg} on the DOT text, through temporary files rather than pipes so
     * that the wait can have a timeout without a second thread draining stdout. A
     * client-side filter run once: ProcessBuilder is fine here, unlike in the daemon.
     */
    private static String graphviz(Path dot, String source) {
        Path input = null;
        Path output = null;
        Process process = null;
        try {
            input = Files.createTempFile("initctl-graph", ".dot");
            output = Files.createTempFile("initctl-graph", ".svg");
            Files.writeString(input, source, StandardCharsets.UTF_8);
            process = new ProcessBuilder(dot.toString(), "-Tsvg", "-o", output.toString(), input.toString())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            if (!process.waitFor(DOT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new Initctl.Failure("graph: " + dot + " did not finish within " + DOT_TIMEOUT_SECONDS
                        + " s; name fewer jobs, or " + LAYOUT_ENV + "=elk");
            }
            if (process.exitValue() != 0) {
                throw new Initctl.Failure("graph: " + dot + " -Tsvg failed with status " + process.exitValue());
            }
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new Initctl.Failure("graph: cannot run " + dot + ": " + e.getMessage());
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
     * Lays the graph out with ELK in a class loader of its own and renders it. Nodes and
     * edges cross the loader boundary as string arrays, JDK types both sides share.
     */
    private static String elk(GraphModel graph) {
        List<String[]> nodes = new ArrayList<>();
        for (GraphModel.Node node : graph.nodes()) {
            String shape = node.kind() == GraphModel.Kind.JOB ? "box"
                    : node.kind() == GraphModel.Kind.EVENT ? "ellipse" : "component";
            String fill = node.kind() == GraphModel.Kind.JOB ? fill(node.state())
                    : node.kind() == GraphModel.Kind.EVENT ? "#ffffff" : "#e6dcf5";
            nodes.add(new String[] {node.id(), shape, node.label(), fill});
        }
        List<String[]> edges = new ArrayList<>();
        for (GraphModel.Edge edge : graph.edges()) {
            edges.add(new String[] {edge.from(), edge.to(), edge.label(), style(edge.relation()),
                colour(edge.relation())});
        }
        try {
            Method render = Class.forName(ELK_RENDERER, true, elkLoader()).getMethod("render", List.class, List.class);
            return (String) render.invoke(null, nodes, edges);
        } catch (InvocationTargetException e) {
            throw new Initctl.Failure("graph: ELK layout failed: " + e.getCause());
        } catch (ReflectiveOperationException | IOException | URISyntaxException e) {
            throw new Initctl.Failure("graph: no built-in layout (ELK jars in lib/graph/): " + e);
        }
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

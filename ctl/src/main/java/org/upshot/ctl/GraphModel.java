package org.upshot.ctl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The jobs and events of {@code initctl graph}, built from a {@code show-config} reply
 * (conditions, emits, needs, extension stanzas) and a {@code list} reply (states).
 *
 * <p>Nodes: a box per job, coloured by its state; an ellipse per event; one node per
 * extension stanza keyword (the plugin: {@code socket}, {@code every}, ...). Edges:
 * event → job for {@code start on} and {@code stop on} operands (a job event such as
 * {@code started db} is drawn from job {@code db}, labelled with the event), job → event
 * for {@code emits}, job → job for {@code needs}, plugin → job for each stanza, labelled
 * with its arguments.
 */
final class GraphModel {

    /** Kinds of node, which decide the shape. */
    enum Kind { JOB, EVENT, PLUGIN }

    /** What an edge stands for, which decides its line style. */
    enum Relation { START_ON, STOP_ON, EMITS, NEEDS, STANZA }

    /**
     * One node.
     *
     * @param id unique among the graph's nodes ({@code job:web}, {@code event:startup})
     * @param label the text shown, lines separated by {@code \n}
     * @param state for a job, its state word ({@code running}, {@code waiting}...); else empty
     */
    record Node(String id, Kind kind, String label, String state) {
    }

    /** One edge between two node ids. */
    record Edge(String from, String to, Relation relation, String label) {
    }

    /** Job events: their first positional argument names a job. */
    private static final Set<String> JOB_EVENTS = Set.of("starting", "started", "stopping", "stopped");

    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final List<Edge> edges = new ArrayList<>();

    List<Node> nodes() {
        return new ArrayList<>(nodes.values());
    }

    List<Edge> edges() {
        return edges;
    }

    /**
     * The graph of {@code config} ({@code show-config}'s {@code jobs}) with the states from
     * {@code list} ({@code list}'s {@code jobs}), restricted to {@code only} and their
     * neighbours unless {@code only} is empty.
     *
     * @throws Initctl.Failure if a job in {@code only} is not loaded
     */
    static GraphModel of(List<?> config, List<?> list, List<String> only) {
        Map<String, String> states = new LinkedHashMap<>();
        for (Object item : list) {
            Map<String, Object> job = StatusFormat.asMap(item);
            states.put((String) job.get("name"), state(job));
        }
        GraphModel all = new GraphModel();
        for (Object item : config) {
            Map<String, Object> job = StatusFormat.asMap(item);
            String name = (String) job.get("name");
            String state = states.getOrDefault(name, "waiting");
            all.nodes.put(jobId(name), new Node(jobId(name), Kind.JOB, name + "\n" + state, state));
        }
        for (Object item : config) {
            all.addJobEdges(StatusFormat.asMap(item));
        }
        if (only.isEmpty()) {
            return all;
        }
        for (String name : only) {
            if (!all.nodes.containsKey(jobId(name))) {
                throw new Initctl.Failure("Unknown job: " + name);
            }
        }
        return all.around(only);
    }

    /** The named jobs, every node one edge away from them, and the edges among those. */
    private GraphModel around(List<String> names) {
        Set<String> kept = new LinkedHashSet<>();
        for (String name : names) {
            kept.add(jobId(name));
        }
        Set<String> neighbours = new LinkedHashSet<>(kept);
        for (Edge edge : edges) {
            if (kept.contains(edge.from())) {
                neighbours.add(edge.to());
            }
            if (kept.contains(edge.to())) {
                neighbours.add(edge.from());
            }
        }
        GraphModel out = new GraphModel();
        for (Node node : nodes.values()) {
            if (neighbours.contains(node.id())) {
                out.nodes.put(node.id(), node);
            }
        }
        for (Edge edge : edges) {
            if (neighbours.contains(edge.from()) && neighbours.contains(edge.to())) {
                out.edges.add(edge);
            }
        }
        return out;
    }

    private void addJobEdges(Map<String, Object> job) {
        String self = jobId((String) job.get("name"));
        for (Object event : list(job.get("emits"))) {
            edges.add(new Edge(self, event((String) event), Relation.EMITS, "emits"));
        }
        condition(self, list(job.get("startOnOperands")), Relation.START_ON, "start on");
        condition(self, list(job.get("stopOnOperands")), Relation.STOP_ON, "stop on");
        for (Object needed : list(job.get("needs"))) {
            String other = jobId((String) needed);
            if (!nodes.containsKey(other)) {
                nodes.put(other, new Node(other, Kind.JOB, needed + "\nnot loaded", "missing"));
            }
            edges.add(new Edge(self, other, Relation.NEEDS, "needs"));
        }
        Object stanzas = job.get("stanzas");
        if (stanzas != null) {
            for (Map.Entry<String, Object> stanza : StatusFormat.asMap(stanzas).entrySet()) {
                String plugin = "plugin:" + stanza.getKey();
                nodes.putIfAbsent(plugin, new Node(plugin, Kind.PLUGIN, stanza.getKey(), ""));
                for (Object occurrence : list(stanza.getValue())) {
                    edges.add(new Edge(plugin, self, Relation.STANZA,
                            stanza.getKey() + " " + String.join(" ", strings(occurrence))));
                }
            }
        }
    }

    /** One edge per operand, from the event or, for a job event naming a loaded job, that job. */
    private void condition(String self, List<?> operands, Relation relation, String verb) {
        for (Object item : operands) {
            String operand = (String) item;
            // show-config's operand form: "EVENT (job: JOB, env: K=V ...)"
            int open = operand.indexOf(" (job:");
            String event = open < 0 ? operand : operand.substring(0, open);
            String jobPart = "";
            String env = "";
            if (open >= 0) {
                int envAt = operand.indexOf(", env:", open);
                int close = operand.lastIndexOf(')');
                if (envAt > 0 && close > envAt) {
                    jobPart = operand.substring(open + 6, envAt).trim();
                    env = operand.substring(envAt + 6, close).trim();
                }
            }
            String label = verb + " " + event + (env.isEmpty() ? "" : " " + env);
            if (JOB_EVENTS.contains(event) && !jobPart.isEmpty() && nodes.containsKey(jobId(jobPart))) {
                edges.add(new Edge(jobId(jobPart), self, relation, label));
            } else {
                String source = event(event);
                edges.add(new Edge(source, self, relation, env.isEmpty() ? verb
                        : verb + (jobPart.isEmpty() ? "" : " " + jobPart) + " " + env));
            }
        }
    }

    private String event(String name) {
        String id = "event:" + name;
        nodes.putIfAbsent(id, new Node(id, Kind.EVENT, name, ""));
        return id;
    }

    private static String jobId(String name) {
        return "job:" + name;
    }

    /**
     * The state word a job is coloured by: the first instance's state ({@code running},
     * {@code pre-start}...), {@code stopping} when an instance has goal stop but is not yet
     * waiting, {@code waiting} without instances.
     */
    private static String state(Map<String, Object> job) {
        List<?> instances = list(job.get("instances"));
        if (instances.isEmpty()) {
            return "waiting";
        }
        Map<String, Object> first = StatusFormat.asMap(instances.get(0));
        String state = (String) first.get("state");
        String word = "stop".equals(first.get("goal")) && !"waiting".equals(state) ? "stopping" : state;
        return instances.size() == 1 ? word : word + " (" + instances.size() + " instances)";
    }

    private static List<?> list(Object value) {
        return value instanceof List<?> ? (List<?>) value : List.of();
    }

    private static List<String> strings(Object value) {
        List<String> out = new ArrayList<>();
        for (Object item : list(value)) {
            out.add(String.valueOf(item));
        }
        return out;
    }
}

package org.upshot.engine.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No two engine classes depend on each other both ways. The graph is read from the
 * compiled main classes (the directory {@link EngineComponent} was loaded from), one
 * node per top-level class of {@code org.upshot.engine.internal} and its subpackages:
 * a nested, inner, anonymous or synthetic class counts as its top-level class. An
 * interface between two classes breaks a cycle (A → I ← B → A is fine), because only
 * direct dependencies are compared.
 */
class ArchitectureTest {

    private static final String ENGINE = "org/upshot/engine/internal/";

    /** Top-level class → top-level class it depends on → which class files say so. */
    private static Map<String, Map<String, Set<String>>> graph;

    @BeforeAll
    static void readCompiledClasses() throws IOException, URISyntaxException {
        Path root = Path.of(EngineComponent.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI());
        Map<String, ClassFile> classes = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root.resolve(ENGINE))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                ClassFile classFile = ClassFile.read(Files.readAllBytes(file));
                classes.put(classFile.name(), classFile);
            }
        }
        graph = new TreeMap<>();
        for (ClassFile from : classes.values()) {
            String source = from.nestHost();
            Map<String, Set<String>> edges = graph.computeIfAbsent(source, s -> new TreeMap<>());
            for (String reference : from.references()) {
                ClassFile to = classes.get(reference);
                if (to == null || to.nestHost().equals(source)) {
                    continue; // outside the engine, or within the same top-level class
                }
                edges.computeIfAbsent(to.nestHost(), t -> new TreeSet<>())
                        .add(shortName(from.name()) + " → " + shortName(to.name())
                                + (from.constants().contains(reference) ? "" : " (in signatures only)"));
            }
        }
        graph.keySet().removeIf(name -> name.endsWith("/package-info"));
    }

    @Test
    void readerSeesTheEngineRoomsAndTheirKnownDependencies() {
        // Scenario: a reader that misses classes or references would pass the cycle check
        // below on an empty graph; these dependencies are plain in the source.
        assertTrue(graph.size() > 50, "top-level engine classes read: " + graph.keySet());
        assertDependsOn("job/Job", "state/JobTransitions"); // a static call: next(state, goal)
        assertDependsOn("job/Engine", "job/EngineLoop"); // a field and a constructor call
        assertDependsOn("EngineComponent", "job/Engine"); // through a nested class too
        assertDependsOn("parse/JobParser", "model/JobClass"); // a method descriptor
    }

    @Test
    void noTwoEngineClassesDependOnEachOtherBothWays() {
        // Scenario: A calls B and B calls back into A; one of them should depend on an
        // interface (or a message) the other implements instead.
        List<String> pairs = new ArrayList<>();
        StringBuilder report = new StringBuilder();
        graph.forEach((a, edges) -> edges.forEach((b, evidence) -> {
            Set<String> back = graph.getOrDefault(b, Map.of()).get(a);
            if (a.compareTo(b) < 0 && back != null) {
                pairs.add(shortName(a) + " ⇄ " + shortName(b));
                report.append("\n  ").append(shortName(a)).append(" ⇄ ").append(shortName(b))
                        .append("\n    ").append(String.join(", ", evidence))
                        .append("\n    ").append(String.join(", ", back));
            }
        }));

        assertTrue(pairs.isEmpty(), () -> pairs.size()
                + " pairs of engine classes depend on each other both ways:" + report);
    }

    private static void assertDependsOn(String from, String to) {
        assertTrue(graph.getOrDefault(ENGINE + from, Map.of()).containsKey(ENGINE + to),
                from + " should depend on " + to + "; it depends on "
                        + graph.getOrDefault(ENGINE + from, Map.of()).keySet());
    }

    /** {@code org/upshot/engine/internal/job/Job$Instance} → {@code job.Job$Instance}. */
    private static String shortName(String internalName) {
        return internalName.substring(ENGINE.length()).replace('/', '.');
    }
}

package org.upshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.upshot.event.Glob;
import org.upshot.spi.source.PluginDeclaration;
import org.upshot.testkit.SourceContract;

/**
 * The assembled distribution's architecture, read from its jars: every plugin is an event
 * source with a contract scenario; the engine never imports a source, nor knows a word a
 * plugin declares; sources use only the kernel's exported API, implementation bundles
 * export nothing, and nobody embeds jnr. The plugins are whatever {@code plugins/} holds.
 */
class BundleArchitectureIT {
    private static final Path BUNDLES = DaemonProcess.DISTRO.resolve("bundle");
    private static final Path PLUGINS = DaemonProcess.DISTRO.resolve("plugins");
    /**
     * Engine literals that equal a plugin's word by coincidence, by class: each with why
     * it is no plugin vocabulary.
     */
    private static final Map<String, Set<String>> COINCIDENCES = Map.of(
            // Objects.requireNonNull(file, "file"): the record component's name, not the files source's event
            "org/upshot/engine/internal/parse/Diagnostic.class", Set.of("file"));
    /** {@code ARTIFACT-VERSION.jar}. */
    private static final Pattern PLUGIN_JAR = Pattern.compile("(.+?)-\\d[^/]*\\.jar");

    @Test
    @Timeout(30)
    void everyPluginDeclaresAnEventSourceAndHasAContractScenario() throws IOException {
        Set<String> scenarios = new TreeSet<>();
        SourceContract.scenarios().forEach(scenario -> scenarios.add(scenario.plugin()));
        for (Path jar : sourceJars()) {
            PluginDeclaration declaration = PluginDeclaration.read(jar)
                    .orElseThrow(() -> new AssertionError(jar.getFileName() + " has no manifest"));
            assertFalse(declaration.sources().isEmpty(), jar.getFileName() + " declares no upshot.source capability");
            Matcher name = PLUGIN_JAR.matcher(jar.getFileName().toString());
            assertTrue(name.matches(), jar.getFileName() + " is not named ARTIFACT-VERSION.jar");
            assertTrue(scenarios.contains(name.group(1)), jar.getFileName() + " has no SourceScenario on the test class"
                    + " path (scenarios: " + scenarios + "): add its test-jar beside its line in distro/pom.xml");
        }
    }

    @Test
    @Timeout(30)
    void noPluginKeywordEventOrReadinessKindAppearsInTheEnginesCode() throws IOException {
        // What each plugin declares, and who declares it.
        Map<String, String> words = new TreeMap<>();
        for (Path jar : sourceJars()) {
            PluginDeclaration declaration = PluginDeclaration.read(jar).orElseThrow();
            String plugin = " of " + jar.getFileName();
            declaration.keywords().forEach(keyword -> words.put(keyword, "keyword" + plugin));
            for (PluginDeclaration.Stanzas stanzas : declaration.stanzas()) {
                stanzas.readiness().forEach(kind -> words.put(kind, "readiness kind" + plugin));
            }
            declaration.events().forEach(event -> words.put(event.name(), "event" + plugin));
        }
        assertFalse(words.isEmpty(), "the plugins declare nothing");
        Set<String> literals = new TreeSet<>();
        List<String> offences = new ArrayList<>();
        try (JarFile engine = new JarFile(jar(BUNDLES, "engine-bundle").toFile())) {
            for (JarEntry entry : engine.stream().filter(e -> e.getName().endsWith(".class")).toList()) {
                try (InputStream in = engine.getInputStream(entry)) {
                    for (String literal : ClassConstants.strings(in)) {
                        literals.add(literal);
                        for (String part : literalParts(literal)) {
                            String declared = declaredBy(words, part);
                            if (declared != null && !COINCIDENCES.getOrDefault(entry.getName(), Set.of())
                                    .contains(part)) {
                                offences.add(entry.getName() + ": \"" + literal + "\" is the " + declared);
                            }
                        }
                    }
                }
            }
        }
        assertTrue(literals.contains("startup"), "the reader missed the engine's own startup event");
        assertEquals(List.of(), offences, "the engine names plugin vocabulary; it must learn it from the plugins");
    }

    /**
     * A literal, and the constant parts of a string concatenation recipe ({@code "tick \1"}
     * has the part {@code tick}): the text around its argument markers, trimmed.
     */
    private static List<String> literalParts(String literal) {
        List<String> parts = new ArrayList<>(List.of(literal));
        if (literal.indexOf('\u0001') >= 0 || literal.indexOf('\u0002') >= 0) {
            for (String part : literal.split("[\u0001\u0002]")) {
                parts.add(part.strip());
            }
        }
        return parts;
    }

    /** What declares {@code text}: a word equal to it, or an event glob matching it; null if none. */
    private static String declaredBy(Map<String, String> words, String text) {
        if (words.containsKey(text)) {
            return words.get(text);
        }
        for (Map.Entry<String, String> word : words.entrySet()) {
            if (Glob.hasWildcards(word.getKey()) && !text.isEmpty() && Glob.compile(word.getKey()).matches(text)) {
                return word.getValue() + " (" + word.getKey() + ")";
            }
        }
        return null;
    }

    @Test
    @Timeout(30)
    void engineImportsNoSourcePackage() throws IOException {
        Set<String> imports = packages(manifest(jar(BUNDLES, "engine-bundle")), "Import-Package");
        assertTrue(imports.stream().noneMatch(name -> name.startsWith("org.upshot.source")), imports.toString());
    }

    @Test
    @Timeout(30)
    void sourcesImportOnlyTheKernelsExportedPackages() throws IOException {
        Set<String> kernelExports = packages(manifest(jar(BUNDLES, "kernel-bundle")), "Export-Package");
        assertFalse(kernelExports.isEmpty());
        for (Path source : sourceJars()) {
            Set<String> upshotImports = new TreeSet<>(packages(manifest(source), "Import-Package"));
            upshotImports.removeIf(name -> !name.startsWith("org.upshot."));
            upshotImports.removeAll(kernelExports);
            assertEquals(Set.of(), upshotImports, source.getFileName() + " imports private Upshot packages");
        }
    }

    @Test
    @Timeout(30)
    void engineAndSourcesExportNothing() throws IOException {
        List<Path> implementations = new ArrayList<>(sourceJars());
        implementations.add(jar(BUNDLES, "engine-bundle"));
        for (Path jar : implementations) {
            assertNull(manifest(jar).getValue("Export-Package"), jar.getFileName() + " exports packages");
        }
    }

    @Test
    @Timeout(30)
    void noBundleEmbedsJnr() throws IOException {
        List<Path> all = new ArrayList<>(sourceJars());
        all.add(jar(BUNDLES, "kernel-bundle"));
        all.add(jar(BUNDLES, "engine-bundle"));
        for (Path jar : all) {
            try (JarFile file = new JarFile(jar.toFile())) {
                assertTrue(file.stream().noneMatch(entry -> entry.getName().startsWith("jnr/")
                        || entry.getName().startsWith("com/kenai/jffi/")), jar.getFileName() + " embeds jnr");
            }
        }
    }

    private static List<Path> sourceJars() throws IOException {
        try (Stream<Path> jars = Files.list(PLUGINS)) {
            List<Path> sources = jars.filter(jar -> jar.getFileName().toString().endsWith(".jar")).sorted().toList();
            assertFalse(sources.isEmpty(), "no plugin in " + PLUGINS);
            return sources;
        }
    }

    private static Path jar(Path directory, String artifactId) throws IOException {
        try (Stream<Path> jars = Files.list(directory)) {
            return jars.filter(jar -> jar.getFileName().toString().startsWith(artifactId + "-")).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + artifactId + " in " + directory));
        }
    }

    private static Attributes manifest(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.getManifest().getMainAttributes();
        }
    }

    /** Package names of an OSGi header, without attributes and directives. */
    static Set<String> packages(Attributes manifest, String header) {
        Set<String> names = new TreeSet<>();
        String value = manifest.getValue(header);
        if (value == null) {
            return names;
        }
        // Clauses are comma-separated, but quoted attribute values hold commas too.
        StringBuilder clause = new StringBuilder();
        boolean quoted = false;
        for (char c : (value + ",").toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                names.add(clause.toString().split(";")[0].trim());
                clause.setLength(0);
            } else {
                clause.append(c);
            }
        }
        return names;
    }
}

package org.upshot;

import static java.util.stream.Collectors.joining;
import static java.util.stream.Collectors.toCollection;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Version;

/**
 * The two API changes that bnd-baseline-maven-plugin (bnd 7.1.0) lets through, checked
 * against the same recorded baseline (api-baseline/, see kernel-bundle's README.md):
 *
 * <ul>
 *   <li>bnd judges a removed package only through the Bundle-Version, and does not enforce
 *       bundle versions below 1.0.0 ("anything may change" in semver's 0.y.z); this
 *       bundle is 0.1.0.
 *   <li>bnd's differ rates a new abstract method on a {@code @ConsumerType} interface
 *       MINOR instead of MAJOR once it has met one of the interface's default methods (it
 *       reuses one "added" delta across the methods). {@code EventSource} has default
 *       methods: with bnd alone, {@code String describe();} added to it passes with
 *       org.upshot.spi.source at 2.1.0, and every source built against 2.0 would still
 *       resolve and then fail with AbstractMethodError.
 * </ul>
 */
class ApiBaselineTest {

    private static final String PROVIDER_TYPE = "Lorg/osgi/annotation/versioning/ProviderType;";

    private final Path baseline = Path.of(property("upshot.api.baseline.jar"));
    private final Path classes = Path.of(property("upshot.api.classes"));

    @Test
    void everyPackageTheBaselineExportsIsStillExported() throws IOException {
        // Scenario: a package leaves Export-Package (deleted or its @Export dropped).
        Map<String, Version> now = exports(builtManifest());
        Map<String, Version> before = exports(baselineManifest());
        assertFalse(before.isEmpty(), "the baseline exports nothing: " + baseline);

        List<String> gone = before.keySet().stream().filter(p -> !now.containsKey(p)).toList();

        assertEquals(List.of(), gone, "exported by the API baseline, no longer exported:"
                + " removing a package breaks every bundle importing it");
    }

    @Test
    void typesPluginsImplementGainAbstractMethodsOnlyWithAMajorBump() throws Exception {
        // Scenario: EventSource (@ConsumerType, has default methods) gains `String describe();`
        // while org.upshot.spi.source goes from 2.0.0 to 2.1.0 instead of 3.0.0.
        Map<String, Version> now = exports(builtManifest());
        Map<String, Version> before = exports(baselineManifest());
        List<String> problems = new ArrayList<>();
        int checked = 0;

        try (JarFile jar = new JarFile(baseline.toFile());
                URLClassLoader older = new URLClassLoader(
                        new URL[] {baseline.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            for (JarEntry entry : jar.stream().toList()) {
                String name = binaryName(entry);
                if (name == null || !before.containsKey(packageOf(name))) {
                    continue;
                }
                Class<?> old = Class.forName(name, false, older);
                if (!isConsumerType(old, jar, entry)) {
                    continue;
                }
                Class<?> current;
                try {
                    current = Class.forName(name, false, getClass().getClassLoader());
                } catch (ClassNotFoundException removed) {
                    continue; // a removed type is a MAJOR change bnd does see
                }
                checked++;
                Set<String> added = abstractMethods(current);
                added.removeAll(abstractMethods(old));
                Version was = before.get(packageOf(name));
                Version is = now.getOrDefault(packageOf(name), Version.emptyVersion);
                if (!added.isEmpty() && is.getMajor() <= was.getMajor()) {
                    problems.add(name + " gains abstract " + String.join(", ", added) + ": "
                            + packageOf(name) + " is " + is + ", the baseline has " + was
                            + "; plugins implement this type, so it needs "
                            + (was.getMajor() + 1) + ".0.0");
                }
            }
        }

        assertNotEquals(0, checked, "found no @ConsumerType interface in " + baseline);
        assertEquals(List.of(), problems);
    }

    /** An interface plugins implement: bnd's default for an interface not marked @ProviderType. */
    private static boolean isConsumerType(Class<?> type, JarFile jar, JarEntry entry)
            throws IOException {
        if (!type.isInterface() || type.isAnnotation() || !Modifier.isPublic(type.getModifiers())) {
            return false;
        }
        // @ProviderType has CLASS retention, so reflection cannot see it; its descriptor is
        // in the class file's constant pool exactly when the annotation is there.
        try (InputStream in = jar.getInputStream(entry)) {
            return !new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).contains(PROVIDER_TYPE);
        }
    }

    /** What an implementation must provide: abstract methods, inherited ones included. */
    private static Set<String> abstractMethods(Class<?> type) {
        return Arrays.stream(type.getMethods())
                .filter(m -> Modifier.isAbstract(m.getModifiers()))
                .map(ApiBaselineTest::signature)
                .collect(toCollection(TreeSet::new));
    }

    private static String signature(Method m) {
        return m.getName() + Arrays.stream(m.getParameterTypes())
                .map(Class::getTypeName).collect(joining(",", "(", ")"));
    }

    private static String binaryName(JarEntry entry) {
        String path = entry.getName();
        if (!path.endsWith(".class") || path.endsWith("package-info.class")) {
            return null;
        }
        return path.substring(0, path.length() - ".class".length()).replace('/', '.');
    }

    private static String packageOf(String binaryName) {
        return binaryName.substring(0, binaryName.lastIndexOf('.'));
    }

    private Manifest builtManifest() throws IOException {
        try (InputStream in = Files.newInputStream(classes.resolve("META-INF/MANIFEST.MF"))) {
            return new Manifest(in);
        }
    }

    private Manifest baselineManifest() throws IOException {
        try (JarFile jar = new JarFile(baseline.toFile())) {
            return jar.getManifest();
        }
    }

    /** Export-Package as package name to version; quoted values may hold commas. */
    private static Map<String, Version> exports(Manifest manifest) {
        String header = manifest.getMainAttributes().getValue("Export-Package");
        Map<String, Version> exports = new TreeMap<>();
        for (String clause : splitOutsideQuotes(Objects.requireNonNullElse(header, ""), ',')) {
            List<String> parts = splitOutsideQuotes(clause, ';');
            Version version = Version.emptyVersion;
            for (String attribute : parts.subList(1, parts.size())) {
                if (attribute.startsWith("version=")) {
                    version = Version.parseVersion(attribute.substring(8).replace("\"", ""));
                }
            }
            exports.put(parts.get(0), version);
        }
        exports.remove("");
        return exports;
    }

    private static List<String> splitOutsideQuotes(String text, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        boolean quoted = false;
        for (char c : text.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == separator && !quoted) {
                parts.add(part.toString().trim());
                part.setLength(0);
            } else {
                part.append(c);
            }
        }
        parts.add(part.toString().trim());
        return parts;
    }

    private static String property(String key) {
        return Objects.requireNonNull(System.getProperty(key),
                key + " is set by kernel-bundle/pom.xml's surefire configuration");
    }
}

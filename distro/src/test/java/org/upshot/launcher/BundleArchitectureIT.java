package org.upshot.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Package dependencies, read from the bnd-generated manifests of the assembled
 * distribution: the engine never imports a source, sources use only the kernel's
 * exported API, implementation bundles export nothing, and nobody embeds jnr.
 */
class BundleArchitectureIT {
    private static final Path BUNDLES = DaemonProcess.DISTRO.resolve("bundle");
    private static final Path PLUGINS = DaemonProcess.DISTRO.resolve("plugins");

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

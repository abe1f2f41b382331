package org.upshot.launcher;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.upshot.launcher.broken.BrokenActivator;
import org.upshot.launcher.faulty.FaultySource;
import org.upshot.launcher.faulty.FaultySourceActivator;
import org.upshot.launcher.probe.ProbeActivator;
import org.upshot.spi.source.SourceDeclaration;

/** Builds small bundles from this module's test classes, with {@code java.util.jar}. */
final class TestBundles {
    private TestBundles() {
    }

    /** The probe bundle reporting bundle and component states (see {@link ProbeActivator}). */
    static Path probe(Path directory) throws IOException {
        // The DTOs pull in org.osgi.dto, org.osgi.framework.dto...: import whatever is used.
        return bundle(directory.resolve("upshot-test-probe.jar"), "org.upshot.test.probe", ProbeActivator.class,
                "org.osgi.framework,org.osgi.service.component.runtime,org.osgi.service.component.runtime.dto");
    }

    /** A bundle whose activator throws {@link BrokenActivator#MESSAGE}. */
    static Path broken(Path jar) throws IOException {
        return bundle(jar, "org.upshot.test.broken", BrokenActivator.class, "org.osgi.framework");
    }

    /**
     * {@code DIRECTORY/NAME.jar}: bundle {@code org.upshot.test.NAME}, whose event source
     * {@code NAME} (declared as {@code @SourceDeclaration} would) misbehaves as {@code fault} says.
     */
    static Path faultySource(Path directory, String name, FaultySource.Fault fault) throws IOException {
        return bundle(directory.resolve(name + ".jar"), "org.upshot.test." + name, FaultySourceActivator.class,
                "org.osgi.framework,org.upshot.spi.source,org.upshot.job,org.upshot.event", Map.of(
                        FaultySourceActivator.FAULT, fault.name(),
                        "Provide-Capability", SourceDeclaration.NAMESPACE + ";" + SourceDeclaration.NAMESPACE + "=\""
                                + name + "\";" + SourceDeclaration.IMPLEMENTATION + "=\""
                                + FaultySource.class.getName() + "\""));
    }

    private static Path bundle(Path jar, String symbolicName, Class<?> activator, String imports) throws IOException {
        return bundle(jar, symbolicName, activator, imports, Map.of());
    }

    /** Writes a bundle holding every class of {@code activator}'s package. */
    private static Path bundle(Path jar, String symbolicName, Class<?> activator, String imports,
            Map<String, String> headers) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", symbolicName);
        main.putValue("Bundle-Version", "1.0.0");
        main.putValue("Bundle-Activator", activator.getName());
        main.putValue("Import-Package", imports);
        main.putValue("DynamicImport-Package", "*");
        headers.forEach(main::putValue);
        Path classes = classesDirectory(activator);
        String packagePath = activator.getPackageName().replace('.', '/');
        Path temporary = jar.resolveSibling("." + jar.getFileName());
        try (OutputStream file = Files.newOutputStream(temporary);
             JarOutputStream out = new JarOutputStream(file, manifest);
             Stream<Path> entries = Files.list(classes.resolve(packagePath))) {
            for (Path classFile : entries.sorted().toList()) {
                out.putNextEntry(new JarEntry(packagePath + "/" + classFile.getFileName()));
                out.write(Files.readAllBytes(classFile));
                out.closeEntry();
            }
        }
        // Rename into place, as the README tells users to: the watcher never sees half a jar.
        Files.move(temporary, jar, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return jar;
    }

    private static Path classesDirectory(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("test classes are not in a directory", e);
        }
    }
}

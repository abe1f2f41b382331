package org.upshot.source.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.upshot.spi.source.PluginDeclaration;

/** The bundle is a plugin built against the kernel API only: it imports no engine package and exports nothing. */
class BundleManifestTest {

    private static final List<String> ALLOWED = List.of("java.", "sun.misc", "org.upshot.event",
            "org.upshot.job", "org.upshot.spi.source", "org.upshot.spi.stanza", "org.upshot.daemon");

    private static Attributes manifest() throws IOException {
        Path file = Path.of("target/classes/META-INF/MANIFEST.MF");
        try (InputStream in = Files.newInputStream(file)) {
            return new Manifest(in).getMainAttributes();
        }
    }

    @Test
    void importsOnlyExportedKernelPackages() throws IOException {
        List<String> imports = packages(manifest().getValue("Import-Package"));
        assertTrue(imports.contains("org.upshot.event"), imports::toString);
        for (String imported : imports) {
            assertTrue(ALLOWED.stream().anyMatch(imported::startsWith), "unexpected import " + imported);
        }
    }

    @Test
    void exportsNothingAndDeclaresBothComponents() throws IOException {
        Attributes main = manifest();
        assertEquals(null, main.getValue("Export-Package"));
        String components = main.getValue("Service-Component");
        assertTrue(components.contains("FilesEventSource") && components.contains("WatchStanzaExtension"), components);
    }

    @Test
    void declaresItsSourceEventAndStanzaForTheDaemonAndTheOfflineTools() throws IOException {
        // written by bnd from @SourceDeclaration and @StanzaDeclaration, read back by the kernel.
        PluginDeclaration declaration = PluginDeclaration.of(manifest());
        assertEquals(List.of(new PluginDeclaration.Source("files", FilesEventSource.class.getName(),
                List.of(new PluginDeclaration.EmittedEvent("file", List.of("FILE", "EVENT", "MATCH"))))),
                declaration.sources());
        assertEquals(List.of(new PluginDeclaration.Stanzas(WatchStanzaExtension.class.getName(), List.of("watch"),
                List.of())), declaration.stanzas());
    }

    /** Package names of an OSGi header, ignoring attributes (commas inside quotes are not separators). */
    private static List<String> packages(String header) {
        List<String> names = new ArrayList<>();
        boolean quoted = false;
        StringBuilder clause = new StringBuilder();
        for (char c : (header + ",").toCharArray()) {
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

package org.upshot.engine.internal.tools;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.upshot.engine.internal.parse.TestExtensions;
import org.upshot.spi.stanza.StanzaContribution;
import org.upshot.spi.stanza.StanzaException;
import org.upshot.spi.stanza.StanzaExtension;
import org.upshot.spi.stanza.StanzaInput;

/**
 * Plugin jars for the offline tools, as bnd would write them: manifests only. The test
 * plugin declares a source's events and three stanza extensions whose classes come from
 * this test class path (the tools' class loader delegates to it); the framework-only
 * plugin declares an extension whose class does not exist outside the framework.
 */
final class TestPluginJar {

    static final String BUNDLE = "org.example.test-plugin";

    private TestPluginJar() {}

    /** Writes {@code dir/test-plugin.jar}; returns the directory. */
    static Path write(Path dir) throws IOException {
        return jar(dir, "test-plugin.jar", BUNDLE, String.join(",",
                "upshot.source;upshot.source=test;implementation=\"org.example.TestSource\";"
                        + "events:List<String>=\"socket PROTO ADDR,*-device-added KERNEL\"",
                "upshot.stanza;implementation=\"" + Socket.class.getName() + "\";keywords:List<String>=\"socket\"",
                "upshot.stanza;implementation=\"" + Every.class.getName() + "\";keywords:List<String>=\"every\"",
                "upshot.stanza;implementation=\"" + Notify.class.getName() + "\";readiness:List<String>=\"notify\""));
    }

    /** Writes {@code dir/framework-only.jar}, declaring {@code frame}; returns the directory. */
    static Path writeFrameworkOnly(Path dir) throws IOException {
        return jar(dir, "framework-only.jar", "org.example.framework-only",
                "upshot.stanza;implementation=\"org.example.NeedsTheFramework\";keywords:List<String>=\"frame\"");
    }

    private static Path jar(Path dir, String file, String bundle, String capabilities) throws IOException {
        Manifest manifest = new Manifest();
        Attributes headers = manifest.getMainAttributes();
        headers.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        headers.putValue("Bundle-SymbolicName", bundle);
        headers.putValue("Provide-Capability", capabilities);
        Files.createDirectories(dir);
        try (OutputStream out = Files.newOutputStream(dir.resolve(file));
                JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.flush();
        }
        return dir;
    }

    /** {@code socket PROTO ADDR}. */
    public static final class Socket implements StanzaExtension {
        @Override
        public StanzaContribution parse(StanzaInput stanza) throws StanzaException {
            return TestExtensions.SOCKET.parse(stanza);
        }
    }

    /** {@code expect notify}. */
    public static final class Notify implements StanzaExtension {
        @Override
        public StanzaContribution parse(StanzaInput stanza) throws StanzaException {
            return TestExtensions.EXPECT_NOTIFY.parse(stanza);
        }
    }

    /** {@code every DURATION}. */
    public static final class Every implements StanzaExtension {
        @Override
        public StanzaContribution parse(StanzaInput stanza) throws StanzaException {
            return TestExtensions.EVERY.parse(stanza);
        }
    }
}

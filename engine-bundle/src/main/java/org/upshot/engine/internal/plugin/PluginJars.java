package org.upshot.engine.internal.plugin;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.upshot.spi.source.PluginDeclaration;
import org.upshot.spi.stanza.StanzaContribution;
import org.upshot.spi.stanza.StanzaExtension;
import org.upshot.spi.stanza.StanzaInput;

/**
 * The plugins of a plugin directory as the offline tools see them, with no framework:
 * each jar's declaration, and each declared stanza extension made from its class (by
 * its public no-argument constructor, in one class loader over the directory's jars, the
 * kernel API coming from the tool's own class path). So {@code check-config} parses a
 * plugin stanza exactly as the daemon would. An extension that cannot be made offline
 * (its class needs what only the framework provides) is reported, and its stanzas are
 * accepted as written.
 */
public final class PluginJars {

    private PluginJars() {}

    /**
     * Reads every {@code *.jar} in {@code directory} (hidden files skipped; a missing
     * directory is no plugin at all).
     *
     * @param warnings told of each jar or extension that could not be read or made
     */
    public static PluginCatalog load(Path directory, Consumer<String> warnings) {
        PluginCatalog catalog = new PluginCatalog();
        List<Path> jars = jars(directory, warnings);
        if (jars.isEmpty()) {
            return catalog;
        }
        ClassLoader loader = new URLClassLoader(urls(jars), PluginJars.class.getClassLoader());
        for (Path jar : jars) {
            Optional<PluginDeclaration> declaration;
            try {
                declaration = PluginDeclaration.read(jar);
            } catch (IOException | IllegalArgumentException e) {
                warnings.accept("cannot read the plugin declaration of " + jar + ": " + e.getMessage());
                continue;
            }
            if (declaration.isEmpty()) {
                continue;
            }
            catalog.declare(jar.toString(), declaration.get());
            for (PluginDeclaration.Stanzas stanzas : declaration.get().stanzas()) {
                catalog.activate(make(loader, stanzas.implementation(), jar, warnings), stanzas.lookupKeywords(),
                        declaration.get().displayName());
            }
        }
        return catalog;
    }

    private static StanzaExtension make(ClassLoader loader, String implementation, Path jar,
            Consumer<String> warnings) {
        try {
            return loader.loadClass(implementation).asSubclass(StanzaExtension.class).getConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
            warnings.accept("cannot make stanza extension " + implementation + " from " + jar + " offline (" + e
                    + "); its stanzas are accepted as written");
            return PluginJars::verbatim;
        }
    }

    /** A stanza taken as written: printed back by {@code show-config}, contributing nothing. */
    private static StanzaContribution verbatim(StanzaInput stanza) {
        return StanzaContribution.builder(stanza.keyword() + " "
                + stanza.arguments().stream().map(StanzaInput.Word::text).collect(Collectors.joining(" "))).build();
    }

    private static List<Path> jars(Path directory, Consumer<String> warnings) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".jar")
                    && !file.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            warnings.accept("cannot list plugin directory " + directory + ": " + e.getMessage());
            return List.of();
        }
    }

    private static URL[] urls(List<Path> jars) {
        List<URL> urls = new ArrayList<>();
        for (Path jar : jars) {
            try {
                urls.add(jar.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalStateException("can't happen: a file path is not a URL: " + jar, e);
            }
        }
        return urls.toArray(URL[]::new);
    }
}

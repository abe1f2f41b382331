package org.upshot.engine.internal.plugin;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.upshot.engine.internal.parse.StanzaLookup;
import org.upshot.spi.source.PluginDeclaration;
import org.upshot.spi.stanza.StanzaExtension;

/**
 * What the plugins have told the engine: the declarations in their manifests (which
 * keyword, which events, which plugin) and the stanza extensions now active. The
 * engine's only source of plugin vocabulary: it knows no keyword or event of its own.
 *
 * <p>A keyword stays attributed to the plugin that last declared it after that plugin is
 * uninstalled, so a job using it is held back naming the plugin, not refused as unknown.
 * Thread-safe: the framework's threads change it, the parser reads it.
 */
public final class PluginCatalog implements StanzaLookup {

    private final Map<String, PluginDeclaration> installed = new LinkedHashMap<>();
    private final Map<String, String> declaredBy = new HashMap<>();
    private final Map<String, StanzaExtension> extensions = new HashMap<>();

    /**
     * A plugin is installed (or updated): remember what it declares.
     *
     * @param key identifies the installation (a bundle id, a jar path)
     */
    public synchronized void declare(String key, PluginDeclaration declaration) {
        installed.put(key, declaration);
        for (String keyword : declaration.keywords()) {
            declaredBy.put(keyword, declaration.displayName());
        }
    }

    /** A plugin is gone: its events are no longer known; its keywords stay attributed to it. */
    public synchronized void forget(String key) {
        installed.remove(key);
    }

    /**
     * An extension became active: it parses the keywords its class declares in
     * {@code declaration}.
     *
     * @return those keywords; empty if the class declares none (it is then never used)
     */
    public List<String> activate(StanzaExtension extension, PluginDeclaration declaration) {
        List<String> keywords = keywordsOf(extension, declaration);
        activate(extension, keywords, declaration.displayName());
        return keywords;
    }

    /** {@code extension} parses {@code keywords}, on behalf of {@code plugin}. */
    public synchronized void activate(StanzaExtension extension, List<String> keywords, String plugin) {
        for (String keyword : keywords) {
            extensions.put(keyword, extension);
            declaredBy.put(keyword, plugin);
        }
    }

    /** An extension left. */
    public synchronized void deactivate(StanzaExtension extension) {
        extensions.values().removeIf(active -> active == extension);
    }

    @Override
    public synchronized Optional<StanzaExtension> extension(String keyword) {
        return Optional.ofNullable(extensions.get(keyword));
    }

    @Override
    public synchronized Optional<String> declaredBy(String keyword) {
        return Optional.ofNullable(declaredBy.get(keyword));
    }

    /** The events the installed plugins declare they emit (names or globs). */
    public synchronized List<String> declaredEvents() {
        List<String> events = new ArrayList<>();
        for (PluginDeclaration declaration : installed.values()) {
            for (PluginDeclaration.EmittedEvent event : declaration.events()) {
                events.add(event.name());
            }
        }
        return events;
    }

    /** The keywords {@code extension}'s class declares. */
    static List<String> keywordsOf(StanzaExtension extension, PluginDeclaration declaration) {
        List<String> keywords = new ArrayList<>();
        for (PluginDeclaration.Stanzas stanzas : declaration.stanzas()) {
            if (stanzas.implementation().equals(extension.getClass().getName())) {
                keywords.addAll(stanzas.lookupKeywords());
            }
        }
        return keywords;
    }

    /** The declared name of {@code implementation}'s event source, else the plugin's name. */
    public static String sourceName(Class<?> implementation, PluginDeclaration declaration) {
        for (PluginDeclaration.Source source : declaration.sources()) {
            if (source.implementation().equals(implementation.getName())) {
                return source.name();
            }
        }
        return declaration.displayName();
    }
}

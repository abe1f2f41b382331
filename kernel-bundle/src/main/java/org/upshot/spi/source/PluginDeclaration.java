package org.upshot.spi.source;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.upshot.spi.stanza.StanzaDeclaration;

/**
 * What one plugin bundle declares about itself in its manifest, as written by bnd from
 * {@link SourceDeclaration} and {@link StanzaDeclaration}: its event sources with the
 * events they emit, and its stanza extensions with their keywords and readiness kinds.
 * Read without loading any of the plugin's classes, so the daemon knows which plugin
 * provides a stanza before the plugin runs, and the offline tools know it with no
 * framework at all.
 *
 * @param bundle the bundle's symbolic name ({@code org.upshot.source-files})
 * @param sources the declared event sources, in manifest order
 * @param stanzas the declared stanza extensions, in manifest order
 */
public record PluginDeclaration(String bundle, List<Source> sources, List<Stanzas> stanzas) {

    private static final String PROVIDE_CAPABILITY = "Provide-Capability";
    private static final String SYMBOLIC_NAME = "Bundle-SymbolicName";

    public PluginDeclaration {
        Objects.requireNonNull(bundle, "bundle");
        sources = List.copyOf(sources);
        stanzas = List.copyOf(stanzas);
    }

    /**
     * A declared event source.
     *
     * @param name its {@link SourceDeclaration#name()}
     * @param implementation the class implementing {@link EventSource}
     * @param events what it emits
     */
    public record Source(String name, String implementation, List<EmittedEvent> events) {
        public Source {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(implementation, "implementation");
            events = List.copyOf(events);
        }
    }

    /**
     * One declared event.
     *
     * @param name the event name, or a shell glob over names ({@code *-device-added})
     * @param variables its variables, in the order the source sets them
     */
    public record EmittedEvent(String name, List<String> variables) {
        public EmittedEvent {
            Objects.requireNonNull(name, "name");
            variables = List.copyOf(variables);
        }

        /** Parses {@code "NAME VAR VAR..."}. */
        public static EmittedEvent parse(String declaration) {
            String[] words = declaration.strip().split("\\s+");
            if (words[0].isEmpty()) {
                throw new IllegalArgumentException("empty event declaration");
            }
            return new EmittedEvent(words[0], List.of(words).subList(1, words.length));
        }
    }

    /**
     * A declared stanza extension.
     *
     * @param implementation the class implementing
     *     {@link org.upshot.spi.stanza.StanzaExtension}
     * @param keywords the stanza keywords it parses
     * @param readiness the {@code expect KIND} forms it parses, as the bare kinds
     */
    public record Stanzas(String implementation, List<String> keywords, List<String> readiness) {
        public Stanzas {
            Objects.requireNonNull(implementation, "implementation");
            keywords = List.copyOf(keywords);
            readiness = List.copyOf(readiness);
        }

        /** The keywords the job-file parser looks up: plain ones and {@code expect KIND}. */
        public List<String> lookupKeywords() {
            List<String> all = new ArrayList<>(keywords);
            for (String kind : readiness) {
                all.add(StanzaDeclaration.EXPECT_PREFIX + kind);
            }
            return all;
        }
    }

    /** True when the bundle declares neither a source nor a stanza extension. */
    public boolean isEmpty() {
        return sources.isEmpty() && stanzas.isEmpty();
    }

    /**
     * A name for messages: the declared source names ({@code files}), else the bundle's
     * symbolic name.
     */
    public String displayName() {
        if (sources.isEmpty()) {
            return bundle;
        }
        List<String> names = new ArrayList<>();
        for (Source source : sources) {
            names.add(source.name());
        }
        return String.join(", ", names);
    }

    /** Every keyword the parser looks up that this plugin declares ({@link Stanzas#lookupKeywords()}). */
    public Set<String> keywords() {
        Set<String> all = new LinkedHashSet<>();
        for (Stanzas declared : stanzas) {
            all.addAll(declared.lookupKeywords());
        }
        return all;
    }

    /** Every event this plugin declares it emits. */
    public List<EmittedEvent> events() {
        List<EmittedEvent> all = new ArrayList<>();
        for (Source source : sources) {
            all.addAll(source.events());
        }
        return all;
    }

    /** The declaration in a jar's manifest; empty if the jar has no manifest. */
    public static Optional<PluginDeclaration> read(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            Manifest manifest = file.getManifest();
            return manifest == null ? Optional.empty() : Optional.of(of(manifest.getMainAttributes()));
        }
    }

    /**
     * The declaration in manifest headers.
     *
     * @throws IllegalArgumentException if an Upshot capability is malformed (no
     *     implementation class, an empty event declaration, unbalanced quotes)
     */
    public static PluginDeclaration of(Attributes headers) {
        String bundle = headers.getValue(SYMBOLIC_NAME);
        return of(bundle == null ? "" : bundle.split(";")[0].strip(), headers.getValue(PROVIDE_CAPABILITY));
    }

    /**
     * The declaration in a {@code Provide-Capability} header value (null for none).
     *
     * @throws IllegalArgumentException as {@link #of(Attributes)}
     */
    public static PluginDeclaration of(String bundle, String provideCapability) {
        List<Source> sources = new ArrayList<>();
        List<Stanzas> stanzas = new ArrayList<>();
        if (provideCapability != null) {
            for (String clause : split(provideCapability, ',')) {
                List<String> parts = split(clause, ';');
                String namespace = parts.get(0).strip();
                Map<String, String> attributes = attributes(parts.subList(1, parts.size()));
                if (namespace.equals(SourceDeclaration.NAMESPACE)) {
                    List<EmittedEvent> events = new ArrayList<>();
                    for (String event : list(attributes.get(SourceDeclaration.EVENTS))) {
                        events.add(EmittedEvent.parse(event));
                    }
                    sources.add(new Source(required(attributes, SourceDeclaration.NAMESPACE, clause),
                            required(attributes, SourceDeclaration.IMPLEMENTATION, clause), events));
                } else if (namespace.equals(StanzaDeclaration.NAMESPACE)) {
                    stanzas.add(new Stanzas(required(attributes, StanzaDeclaration.IMPLEMENTATION, clause),
                            list(attributes.get(StanzaDeclaration.KEYWORDS)),
                            list(attributes.get(StanzaDeclaration.READINESS))));
                }
            }
        }
        return new PluginDeclaration(bundle, sources, stanzas);
    }

    private static String required(Map<String, String> attributes, String key, String clause) {
        String value = attributes.get(key);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("capability without " + key + ": " + clause.strip());
        }
        return value;
    }

    /** {@code key[:Type]=value} parameters by key; directives ({@code key:=value}) are skipped. */
    private static Map<String, String> attributes(List<String> parameters) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (String parameter : parameters) {
            int equals = parameter.indexOf('=');
            if (equals <= 0 || parameter.charAt(equals - 1) == ':') {
                continue;
            }
            String key = parameter.substring(0, equals).strip();
            int colon = key.indexOf(':');
            attributes.put(colon < 0 ? key : key.substring(0, colon).strip(),
                    unquote(parameter.substring(equals + 1).strip()));
        }
        return attributes;
    }

    private static String unquote(String value) {
        if (value.length() < 2 || value.charAt(0) != '"' || value.charAt(value.length() - 1) != '"') {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 1; i < value.length() - 1; i++) {
            char c = value.charAt(i);
            // \" is a quote; every other escape is left for the list syntax (\, and \\)
            if (c == '\\' && value.charAt(i + 1) == '"') {
                c = value.charAt(++i);
            }
            out.append(c);
        }
        return out.toString();
    }

    /** The elements of a {@code List<String>} value: commas separate, {@code \} escapes. */
    private static List<String> list(String value) {
        List<String> elements = new ArrayList<>();
        if (value == null) {
            return elements;
        }
        StringBuilder element = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                element.append(value.charAt(++i));
            } else if (c == ',') {
                addNonBlank(elements, element);
            } else {
                element.append(c);
            }
        }
        addNonBlank(elements, element);
        return elements;
    }

    private static void addNonBlank(List<String> elements, StringBuilder element) {
        String text = element.toString().strip();
        if (!text.isEmpty()) {
            elements.add(text);
        }
        element.setLength(0);
    }

    /** Splits on {@code separator} outside double quotes (a backslash escapes the next character). */
    private static List<String> split(String header, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            if (c == '\\' && quoted && i + 1 < header.length()) {
                part.append(c).append(header.charAt(++i));
                continue;
            }
            if (c == '"') {
                quoted = !quoted;
            } else if (c == separator && !quoted) {
                parts.add(part.toString());
                part.setLength(0);
                continue;
            }
            part.append(c);
        }
        if (quoted) {
            throw new IllegalArgumentException("unbalanced quotes in " + PROVIDE_CAPABILITY + ": " + header);
        }
        parts.add(part.toString());
        return parts;
    }
}

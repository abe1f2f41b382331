package org.upshot.engine.internal.tools;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.upshot.engine.internal.parse.PluginKeywords;
import org.upshot.spi.stanza.StanzaContribution;
import org.upshot.spi.stanza.StanzaExtension;
import org.upshot.spi.stanza.StanzaInput;

/**
 * The extension lookup of the offline tools, which run without any plugin: a stanza of a
 * known plugin is accepted as written (kept word for word, so {@code show-config} prints
 * it back) and contributes nothing. Its arguments are checked by the plugin when the
 * daemon loads the job.
 */
final class OfflineExtensions {

    private static final StanzaExtension VERBATIM = stanza -> new StanzaContribution(Optional.empty(),
            Optional.empty(), Map.of(), List.of(), Optional.empty(),
            stanza.arguments().stream().map(StanzaInput.Word::text).collect(Collectors.joining(" ")));

    private OfflineExtensions() {}

    static Optional<StanzaExtension> lookup(String keyword) {
        return PluginKeywords.owner(keyword).map(owner -> VERBATIM);
    }
}

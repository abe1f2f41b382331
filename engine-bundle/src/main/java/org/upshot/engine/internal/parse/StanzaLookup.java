package org.upshot.engine.internal.parse;

import java.util.Optional;
import org.upshot.spi.stanza.StanzaExtension;

/**
 * Where the parser finds the plugin stanzas it does not know itself. Implementations
 * must be safe to call from any thread and must not block.
 */
public interface StanzaLookup {

    /** Knows no plugin: the built-in stanzas only. */
    StanzaLookup NONE = new StanzaLookup() {
        @Override
        public Optional<StanzaExtension> extension(String keyword) {
            return Optional.empty();
        }

        @Override
        public Optional<String> declaredBy(String keyword) {
            return Optional.empty();
        }
    };

    /**
     * The active extension that parses {@code keyword}: a plain keyword ({@code socket})
     * or an {@code expect KIND} form ({@code expect notify}).
     */
    Optional<StanzaExtension> extension(String keyword);

    /**
     * The plugin that declares {@code keyword} (now or earlier in this daemon's life)
     * when its extension is not active: the job waits for it, and the message names it.
     * Empty when no plugin ever declared the keyword: an unknown stanza.
     */
    Optional<String> declaredBy(String keyword);
}

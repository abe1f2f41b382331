package org.upshot.engine.internal.model;

import java.util.List;
import org.upshot.spi.stanza.StanzaContribution;

/**
 * A stanza parsed by a plugin's {@link org.upshot.spi.stanza.StanzaExtension}.
 *
 * @param keyword the stanza keyword
 * @param arguments its words, unquoted
 * @param line where it was, for diagnostics
 * @param contribution what the extension made of it
 */
public record ExtensionStanza(String keyword, List<String> arguments, int line,
        StanzaContribution contribution) {
    public ExtensionStanza {
        arguments = List.copyOf(arguments);
    }
}

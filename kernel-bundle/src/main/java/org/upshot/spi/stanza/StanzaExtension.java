package org.upshot.spi.stanza;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Parses the stanzas a plugin contributes. Implemented by source bundles.
 *
 * <p>Called on the parser's thread, possibly concurrently for different files;
 * implementations must be stateless or thread-safe, and must not block.
 */
@ConsumerType
public interface StanzaExtension {

    /** Service property: the stanza keywords this extension parses (String or String[]). */
    String KEYWORDS = "upshot.stanza.keywords";

    /**
     * Parses one occurrence of one of this extension's stanzas.
     *
     * @param stanza the keyword and its arguments, with positions for diagnostics
     * @return what the stanza adds to the job
     * @throws StanzaException for bad arguments; the parser reports it at the
     *     position it names
     */
    StanzaContribution parse(StanzaInput stanza) throws StanzaException;
}

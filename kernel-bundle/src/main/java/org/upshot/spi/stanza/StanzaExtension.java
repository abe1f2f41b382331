package org.upshot.spi.stanza;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Parses the stanzas a plugin contributes. Implemented by source bundles: a Declarative
 * Services component registered under this interface and declared with
 * {@link StanzaDeclaration}, which names its keywords.
 *
 * <p>Called on the parser's thread, possibly concurrently for different files;
 * implementations must be stateless or thread-safe, and must not block. The class needs
 * a public no-argument constructor: the offline {@code check-config} creates one from
 * the plugin jar, with no framework, to check job files as the daemon would.
 */
@ConsumerType
public interface StanzaExtension {

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

package org.upshot.source.files;

import java.nio.file.Path;
import org.osgi.service.component.annotations.Component;
import org.upshot.source.files.internal.FileCondition;
import org.upshot.source.files.internal.WatchStanza;
import org.upshot.spi.stanza.StanzaContribution;
import org.upshot.spi.stanza.StanzaDeclaration;
import org.upshot.spi.stanza.StanzaException;
import org.upshot.spi.stanza.StanzaExtension;
import org.upshot.spi.stanza.StanzaInput;

/**
 * The {@code watch PATH [created|modified|deleted|nonempty]} stanza: a start condition
 * made of {@code file} matches, which {@link FilesEventSource} then watches. The
 * mapping is described on {@link WatchStanza}. Stateless, so safe on any thread.
 */
@Component(service = StanzaExtension.class)
@StanzaDeclaration(keywords = WatchStanza.KEYWORD)
public final class WatchStanzaExtension implements StanzaExtension {

    private final Path home = Path.of(System.getProperty("user.home"));

    @Override
    public StanzaContribution parse(StanzaInput stanza) throws StanzaException {
        var conditions = WatchStanza.parse(stanza.arguments(), stanza.line(), stanza.column(), home);
        return StanzaContribution.startOn(FileCondition.anyOf(conditions), WatchStanza.settings(stanza.arguments()));
    }
}

package org.upshot.source.socket;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.upshot.source.socket.internal.NotifyStanzas;
import org.upshot.source.socket.internal.NotifyTable;
import org.upshot.spi.stanza.StanzaContribution;
import org.upshot.spi.stanza.StanzaDeclaration;
import org.upshot.spi.stanza.StanzaException;
import org.upshot.spi.stanza.StanzaExtension;
import org.upshot.spi.stanza.StanzaInput;

/**
 * sd_notify for jobs: {@code expect notify} (ready at {@code READY=1}), {@code watchdog
 * DURATION} (a missed {@code WATCHDOG=1} aborts the main process) and {@code notify-access
 * main|all} (who may send). Offline ({@code check-config}) only the syntax is checked.
 */
@Component(service = StanzaExtension.class)
@StanzaDeclaration(keywords = {NotifyStanzas.WATCHDOG, NotifyStanzas.ACCESS}, readiness = "notify")
public final class NotifyStanzaExtension implements StanzaExtension {

    /** Null offline. */
    @Reference
    private volatile NotifyTable table;

    @Override
    public StanzaContribution parse(StanzaInput stanza) throws StanzaException {
        return NotifyStanzas.parse(stanza, table);
    }
}

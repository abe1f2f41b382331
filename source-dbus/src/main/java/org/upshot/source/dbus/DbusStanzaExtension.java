package org.upshot.source.dbus;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.upshot.source.dbus.internal.BusTable;
import org.upshot.source.dbus.internal.DbusStanzas;
import org.upshot.spi.stanza.StanzaContribution;
import org.upshot.spi.stanza.StanzaDeclaration;
import org.upshot.spi.stanza.StanzaException;
import org.upshot.spi.stanza.StanzaExtension;
import org.upshot.spi.stanza.StanzaInput;

/**
 * {@code dbus system-bus|session-bus NAME} (activated by the bus, ready once it owns NAME,
 * gone when it gives NAME up) and {@code expect dbus [BUS] NAME} (readiness only).
 * Offline ({@code check-config}) only the syntax is checked.
 */
@Component(service = StanzaExtension.class)
@StanzaDeclaration(keywords = DbusStanzas.DBUS, readiness = "dbus")
public final class DbusStanzaExtension implements StanzaExtension {

    /** Null offline. */
    @Reference
    private volatile BusTable table;

    @Override
    public StanzaContribution parse(StanzaInput stanza) throws StanzaException {
        return DbusStanzas.parse(stanza, table);
    }
}

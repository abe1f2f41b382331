package org.upshot.source.socket;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.upshot.source.socket.internal.ListenReadiness;
import org.upshot.source.socket.internal.ListenerTable;
import org.upshot.source.socket.internal.SocketEvents;
import org.upshot.source.socket.internal.SocketSpec;
import org.upshot.spi.stanza.StanzaContribution;
import org.upshot.spi.stanza.StanzaDeclaration;
import org.upshot.spi.stanza.StanzaException;
import org.upshot.spi.stanza.StanzaExtension;
import org.upshot.spi.stanza.StanzaInput;

/**
 * The {@code socket KIND ADDRESS [OPTION...]} stanza. In the daemon it binds the socket
 * as the job loads, so an address in use or refused is an error at the stanza's line and
 * column; offline ({@code check-config}, made with no framework) it only checks the
 * syntax. It or-s {@code socket LISTEN=ID} into the job's {@code start on}; without
 * {@code accept} the job's main process inherits the listener at every spawn, with
 * {@code accept} each connection starts an instance of its own.
 */
@Component(service = StanzaExtension.class)
@StanzaDeclaration(keywords = SocketSpec.KEYWORD, readiness = "listen")
public final class SocketStanzaExtension implements StanzaExtension {

    /** Null offline: nothing is bound then. */
    @Reference
    private volatile ListenerTable table;

    @Override
    public StanzaContribution parse(StanzaInput stanza) throws StanzaException {
        if (stanza.keyword().equals(ListenReadiness.KEYWORD)) {
            ListenReadiness readiness = ListenReadiness.parse(stanza, table == null ? null : table.checks());
            return StanzaContribution.builder(readiness.settings()).readiness(readiness).build();
        }
        SocketSpec spec = SocketSpec.parse(stanza);
        StanzaContribution.Builder contribution = StanzaContribution.builder(spec.settings())
                .startOn(SocketEvents.condition(spec.address()));
        if (spec.accept()) {
            contribution.instance(SocketEvents.instanceTemplate(spec.address()));
        }
        ListenerTable bound = table;
        if (bound != null) {
            var listener = bound.claim(stanza.jobName(), spec, stanza.line(), stanza.column());
            if (!spec.accept()) {
                contribution.descriptor(listener);
            }
        }
        return contribution.build();
    }
}

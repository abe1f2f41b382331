package org.upshot.engine.internal.parse;

import java.util.List;
import org.upshot.engine.internal.model.ExtensionStanza;
import org.upshot.engine.internal.model.JobClass;
import org.upshot.engine.internal.model.Need;
import org.upshot.engine.internal.plugin.PluginCatalog;
import org.upshot.event.EventExpression;
import org.upshot.spi.source.PluginDeclaration;
import org.upshot.spi.stanza.StanzaContribution;
import org.upshot.spi.stanza.StanzaException;
import org.upshot.spi.stanza.StanzaExtension;
import org.upshot.spi.stanza.StanzaInput;

/**
 * Real (small) stanza extensions for tests: {@code socket PROTO ADDR} adds a start
 * condition, {@code every DURATION} one too, {@code expect notify} takes no argument.
 * Their contributions are plain values, so jobs using them compare equal after a
 * round trip.
 */
public final class TestExtensions {

    private TestExtensions() {}

    public static final StanzaExtension SOCKET = stanza -> {
        List<StanzaInput.Word> args = stanza.arguments();
        if (args.size() != 2) {
            throw new StanzaException("expected PROTO ADDRESS", stanza.line(), stanza.column());
        }
        String proto = args.get(0).text();
        if (!List.of("tcp", "udp", "unix").contains(proto)) {
            throw StanzaException.at(args.get(0), "unknown protocol '" + proto + "'");
        }
        EventExpression condition = new EventExpression.Match("socket",
                List.of(EventExpression.Argument.equal("ADDR", args.get(1).text())));
        return StanzaContribution.startOn(condition, proto + " " + args.get(1).text());
    };

    public static final StanzaExtension EVERY = stanza -> StanzaContribution.startOn(
            new EventExpression.Match("timer", List.of()), "every " + stanza.arguments().get(0).text());

    public static final StanzaExtension EXPECT_NOTIFY = stanza -> {
        if (!stanza.arguments().isEmpty()) {
            throw StanzaException.at(stanza.arguments().get(0), "takes no argument");
        }
        return StanzaContribution.builder("expect notify").build();
    };

    public static final StanzaExtension BROKEN = stanza -> {
        throw new IllegalStateException("plugin bug");
    };

    /** The name the test plugins go by in diagnostics. */
    static final String PLUGIN = "test-plugin";

    /**
     * A catalog whose test plugin has socket, every, expect notify, cron (which throws)
     * and exec (which the built-in table shadows) active.
     */
    public static PluginCatalog loaded() {
        PluginCatalog catalog = new PluginCatalog();
        catalog.activate(SOCKET, List.of("socket"), PLUGIN);
        catalog.activate(EVERY, List.of("every"), PLUGIN);
        catalog.activate(EXPECT_NOTIFY, List.of("expect notify"), PLUGIN);
        catalog.activate(BROKEN, List.of("cron", "exec"), PLUGIN);
        return catalog;
    }

    /**
     * A catalog where an installed plugin declares socket, watch and expect dbus, but
     * none of its extensions is active.
     */
    public static PluginCatalog declaredOnly() {
        PluginCatalog catalog = new PluginCatalog();
        catalog.declare("1", PluginDeclaration.of("org.example.sleepy",
                "upshot.stanza;implementation=\"org.example.Sleepy\";keywords:List<String>=\"socket,watch\";"
                        + "readiness:List<String>=\"dbus\""));
        return catalog;
    }

    /** The job with its extension stanzas' and needs' positions zeroed: canonical output does not keep them. */
    public static JobClass withoutLines(JobClass job) {
        JobClass.Builder builder = job.toBuilder();
        List<ExtensionStanza> stanzas = builder.extensions.stream()
                .map(s -> new ExtensionStanza(s.keyword(), s.arguments(), 0, s.contribution())).toList();
        builder.extensions.clear();
        builder.extensions.addAll(stanzas);
        List<Need> needs = builder.needs.stream().map(n -> new Need(n.job(), n.file(), 0, 0)).toList();
        builder.needs.clear();
        builder.needs.addAll(needs);
        return builder.build();
    }
}

package org.upshot.engine.internal.parse;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.upshot.engine.internal.model.ExtensionStanza;
import org.upshot.engine.internal.model.JobClass;
import org.upshot.event.EventExpression;
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

    static final StanzaExtension SOCKET = stanza -> {
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

    static final StanzaExtension EVERY = stanza -> StanzaContribution.startOn(
            new EventExpression.Match("timer", List.of()), "every " + stanza.arguments().get(0).text());

    static final StanzaExtension EXPECT_NOTIFY = stanza -> {
        if (!stanza.arguments().isEmpty()) {
            throw StanzaException.at(stanza.arguments().get(0), "takes no argument");
        }
        return new StanzaContribution(Optional.empty(), Optional.empty(), Map.of(), List.of(), Optional.empty(),
                "");
    };

    static final StanzaExtension BROKEN = stanza -> {
        throw new IllegalStateException("plugin bug");
    };

    /** The lookup with socket, every and expect notify loaded. */
    public static Function<String, Optional<StanzaExtension>> loaded() {
        Map<String, StanzaExtension> all = Map.of("socket", SOCKET, "every", EVERY, "expect notify", EXPECT_NOTIFY,
                "cron", BROKEN, "exec", BROKEN);
        return keyword -> Optional.ofNullable(all.get(keyword));
    }

    /** The job with its extension stanzas' line numbers zeroed: canonical output does not keep them. */
    public static JobClass withoutLines(JobClass job) {
        JobClass.Builder builder = job.toBuilder();
        List<ExtensionStanza> stanzas = builder.extensions.stream()
                .map(s -> new ExtensionStanza(s.keyword(), s.arguments(), 0, s.contribution())).toList();
        builder.extensions.clear();
        builder.extensions.addAll(stanzas);
        return builder.build();
    }
}

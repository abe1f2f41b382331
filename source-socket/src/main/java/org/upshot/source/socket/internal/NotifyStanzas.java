package org.upshot.source.socket.internal;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.Optional;
import org.upshot.spi.stanza.Readiness;
import org.upshot.spi.stanza.ReadinessTarget;
import org.upshot.spi.stanza.StanzaContribution;
import org.upshot.spi.stanza.StanzaException;
import org.upshot.spi.stanza.StanzaInput;

/**
 * The sd_notify stanzas: {@code expect notify}, {@code watchdog DURATION} and
 * {@code notify-access main|all}. Each puts {@code NOTIFY_SOCKET} in the job's
 * environment; the watchdog adds {@code WATCHDOG_USEC} and {@code WATCHDOG_PID}.
 */
public final class NotifyStanzas {

    public static final String EXPECT = "expect notify";
    public static final String WATCHDOG = "watchdog";
    public static final String ACCESS = "notify-access";

    private NotifyStanzas() {}

    /**
     * Parses one of the three stanzas.
     *
     * @param table the daemon's notify socket; null offline, where only the syntax is checked
     */
    public static StanzaContribution parse(StanzaInput stanza, NotifyTable table) throws StanzaException {
        List<StanzaInput.Word> words = stanza.arguments();
        StanzaContribution.Builder contribution;
        switch (stanza.keyword()) {
            case EXPECT -> {
                expectWords(stanza, 0, "");
                contribution = StanzaContribution.builder(EXPECT).readiness(new Ready(table));
            }
            case WATCHDOG -> {
                expectWords(stanza, 1, "a duration such as 30s");
                Duration interval = Durations.parse(words.get(0));
                contribution = StanzaContribution.builder(WATCHDOG + " " + Durations.format(interval))
                        .environment("WATCHDOG_USEC", Long.toString(interval.toNanos() / 1000))
                        .environment("WATCHDOG_PID", ""); // the spawner puts the main process's pid there
            }
            default -> {
                expectWords(stanza, 1, "main or all");
                String access = words.get(0).text();
                if (!access.equals("main") && !access.equals("all")) {
                    throw new StanzaException("expected main or all, not '" + access + "'", words.get(0).line(),
                            words.get(0).column());
                }
                contribution = StanzaContribution.builder(ACCESS + " " + access);
            }
        }
        if (table != null) {
            try {
                contribution.environment("NOTIFY_SOCKET", table.socketPath());
            } catch (IllegalStateException e) {
                throw new StanzaException(e.getMessage(), stanza.line(), stanza.column());
            }
        }
        return contribution.build();
    }

    private static void expectWords(StanzaInput stanza, int count, String what) throws StanzaException {
        List<StanzaInput.Word> words = stanza.arguments();
        if (words.size() > count) {
            StanzaInput.Word extra = words.get(count);
            throw new StanzaException("unexpected '" + extra.text() + "' after " + stanza.keyword()
                    + (count == 0 ? "" : " " + words.get(0).text()), extra.line(), extra.column());
        }
        if (words.size() < count) {
            throw new StanzaException(stanza.keyword() + " expects " + what, stanza.line(), stanza.column());
        }
    }

    /** {@code expect notify}: ready at {@code READY=1}; any two are alike. */
    private static final class Ready implements Readiness {
        private final NotifyTable table;

        Ready(NotifyTable table) {
            this.table = table;
        }

        @Override
        public CompletionStage<Integer> await(ReadinessTarget target) {
            return table.awaitReady(target);
        }

        @Override
        public void abandon(ReadinessTarget target) {
            table.abandon(target);
        }

        @Override
        public Optional<CompletionStage<Void>> reload(ReadinessTarget target) {
            return table.reload(target);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Ready that && Objects.equals(table, that.table);
        }

        @Override
        public int hashCode() {
            return Objects.hashCode(table);
        }

        @Override
        public String toString() {
            return EXPECT;
        }
    }
}

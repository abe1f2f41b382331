package org.upshot.source.dbus.internal;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.upshot.event.EventExpression;
import org.upshot.spi.stanza.Readiness;
import org.upshot.spi.stanza.ReadinessTarget;
import org.upshot.spi.stanza.StanzaContribution;
import org.upshot.spi.stanza.StanzaException;
import org.upshot.spi.stanza.StanzaInput;

/**
 * The D-Bus stanzas: {@code dbus system-bus|session-bus NAME} (activation, readiness by
 * the name and the bus's address in the job's environment) and
 * {@code expect dbus [system-bus|session-bus] NAME} (readiness only).
 */
public final class DbusStanzas {

    public static final String DBUS = "dbus";
    public static final String EXPECT = "expect dbus";
    /** The event an activation request is: {@code dbus-activate JOB= NAME= BUS= UNIT=}. */
    public static final String ACTIVATE_EVENT = "dbus-activate";

    private DbusStanzas() {}

    /**
     * Parses one stanza.
     *
     * @param table the daemon's buses; null offline, where only the syntax is checked
     */
    public static StanzaContribution parse(StanzaInput stanza, BusTable table) throws StanzaException {
        List<StanzaInput.Word> words = stanza.arguments();
        BusKind bus;
        StanzaInput.Word nameWord;
        if (stanza.keyword().equals(DBUS)) {
            if (words.size() != 2) {
                throw words.size() > 2 ? StanzaException.at(words.get(2), "unexpected '" + words.get(2).text()
                        + "' after the bus name") : new StanzaException(
                        "dbus expects system-bus or session-bus and a bus name", stanza.line(), stanza.column());
            }
            bus = bus(words.get(0));
            nameWord = words.get(1);
        } else {
            if (words.isEmpty() || words.size() > 2) {
                throw words.size() > 2 ? StanzaException.at(words.get(2), "unexpected '" + words.get(2).text()
                        + "' after the bus name") : new StanzaException(
                        "expect dbus expects a bus name, optionally after system-bus or session-bus",
                        stanza.line(), stanza.column());
            }
            if (words.size() == 2) {
                bus = bus(words.get(0));
            } else {
                bus = table == null ? BusKind.SESSION : table.defaultBus();
            }
            nameWord = words.get(words.size() - 1);
        }
        String name = nameWord.text();
        Optional<String> problem = BusNames.problem(name);
        if (problem.isPresent()) {
            throw StanzaException.at(nameWord, problem.get());
        }
        StanzaContribution.Builder contribution;
        if (stanza.keyword().equals(DBUS)) {
            contribution = StanzaContribution.builder(DBUS + " " + bus.keyword() + " " + name)
                    .startOn(new EventExpression.Match(ACTIVATE_EVENT,
                            List.of(EventExpression.Argument.equal("JOB", stanza.jobName()),
                                    EventExpression.Argument.equal("BUS", bus.shortName()))));
        } else {
            contribution = StanzaContribution.builder(EXPECT + " " + bus.keyword() + " " + name);
        }
        contribution.readiness(new NameReadiness(bus, name, table));
        if (table != null) {
            table.address(bus).ifPresent(address -> contribution.environment(bus.variable(), address));
            // bound to the bus: its job (if Upshot runs it) starts first and stops last
            if (stanza.keyword().equals(DBUS)) {
                table.busJob(bus).filter(job -> !job.equals(stanza.jobName())).ifPresent(contribution::needs);
            }
        }
        return contribution.build();
    }

    private static BusKind bus(StanzaInput.Word word) throws StanzaException {
        return BusKind.of(word.text()).orElseThrow(() -> StanzaException.at(word,
                "expected system-bus or session-bus, not '" + word.text() + "'"));
    }

    /** Ready once {@code name} is owned on {@code bus} by one of the instance's processes. */
    static final class NameReadiness implements Readiness {
        final BusKind bus;
        final String name;
        private final BusTable table;

        NameReadiness(BusKind bus, String name, BusTable table) {
            this.bus = bus;
            this.name = name;
            this.table = table;
        }

        @Override
        public CompletionStage<Integer> await(ReadinessTarget target) {
            return table.awaitName(bus, name, target);
        }

        @Override
        public void abandon(ReadinessTarget target) {
            table.abandon(target);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof NameReadiness that && bus == that.bus && name.equals(that.name)
                    && Objects.equals(table, that.table);
        }

        @Override
        public int hashCode() {
            return Objects.hash(bus, name, table);
        }

        @Override
        public String toString() {
            return EXPECT + " " + bus.keyword() + " " + name;
        }
    }
}

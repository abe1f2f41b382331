package org.upshot.example.tick;

import java.util.List;
import java.util.OptionalLong;
import org.osgi.service.component.annotations.Component;
import org.upshot.event.EventExpression;
import org.upshot.spi.stanza.StanzaContribution;
import org.upshot.spi.stanza.StanzaDeclaration;
import org.upshot.spi.stanza.StanzaException;
import org.upshot.spi.stanza.StanzaExtension;
import org.upshot.spi.stanza.StanzaInput;

/**
 * The {@code tick SECONDS} stanza: shorthand for {@code start on tick PERIOD=SECONDS},
 * or-ed with the job's own {@code start on}. Stateless.
 */
@Component(service = StanzaExtension.class)
@StanzaDeclaration(keywords = "tick")
public final class TickStanza implements StanzaExtension {

    @Override
    public StanzaContribution parse(StanzaInput stanza) throws StanzaException {
        if (stanza.arguments().size() != 1) {
            throw new StanzaException("tick needs one argument: tick SECONDS", stanza.line(), stanza.column());
        }
        StanzaInput.Word word = stanza.arguments().get(0);
        if (seconds(word.text()).isEmpty()) {
            throw StanzaException.at(word, "tick: '" + word.text() + "' is not a whole number of seconds from 1");
        }
        EventExpression condition = new EventExpression.Match("tick",
                List.of(EventExpression.Argument.equal("PERIOD", word.text())));
        return StanzaContribution.startOn(condition, "tick " + word.text());
    }

    /** {@code text} as a period: a whole number of seconds from 1 to a day. */
    static OptionalLong seconds(String text) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(Character::isDigit)) {
            return OptionalLong.empty();
        }
        long seconds = Long.parseLong(text);
        return seconds >= 1 && seconds <= 86_400 ? OptionalLong.of(seconds) : OptionalLong.empty();
    }
}

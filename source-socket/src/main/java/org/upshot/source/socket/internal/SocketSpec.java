package org.upshot.source.socket.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.upshot.spi.stanza.StanzaException;
import org.upshot.spi.stanza.StanzaInput;

/**
 * One {@code socket} stanza: {@code socket KIND ADDRESS [accept] [backlog=N] [mode=0660]
 * [owner=USER] [name=FDNAME] [max-connections=N] [trigger-limit=BURST/SECONDS|off]}.
 *
 * @param address where to listen
 * @param accept inetd style: the daemon accepts, one instance per connection
 * @param backlog the {@code listen(2)} backlog (the kernel caps it at {@code net.core.somaxconn})
 * @param mode the unix socket node's mode
 * @param owner the unix socket node's owner, a user name
 * @param name the name in {@code LISTEN_FDNAMES}, empty for the job's name
 * @param maxConnections with {@code accept}: connections served at once; more are closed
 * @param triggerLimit events (accepted connections) allowed within a window before the
 *     listener pauses; empty for systemd's defaults
 */
public record SocketSpec(SocketAddress address, boolean accept, int backlog, int mode, Optional<String> owner,
        Optional<String> name, int maxConnections, Optional<TriggerLimit> triggerLimit) {

    /**
     * At most {@code burst} triggers within {@code seconds}; a burst of 0 is no limit.
     *
     * @param burst triggers allowed per window, 0 for none
     * @param seconds the window
     */
    public record TriggerLimit(int burst, int seconds) {
        /** systemd's {@code TriggerLimitBurst=} and {@code TriggerLimitIntervalSec=} defaults. */
        static TriggerLimit systemdDefault(boolean accept) {
            return new TriggerLimit(accept ? 200 : 20, 2);
        }

        @Override
        public String toString() {
            return burst == 0 ? "off" : burst + "/" + seconds;
        }
    }

    /** The stanza's keyword. */
    public static final String KEYWORD = "socket";
    /** systemd's {@code Backlog=} default is "as many as the kernel allows". */
    static final int DEFAULT_BACKLOG = 4096;
    /** systemd's {@code SocketMode=} default. */
    static final int DEFAULT_MODE = 0666;
    /** systemd's {@code MaxConnections=} default. */
    static final int DEFAULT_MAX_CONNECTIONS = 64;

    /** The stanza as the parser read it. */
    public static SocketSpec parse(StanzaInput stanza) throws StanzaException {
        List<StanzaInput.Word> words = stanza.arguments();
        if (words.size() < 2) {
            throw new StanzaException("expected 'socket KIND ADDRESS [OPTION...]', e.g. 'socket tcp 127.0.0.1:8080'",
                    stanza.line(), stanza.column());
        }
        SocketAddress address;
        try {
            address = SocketAddress.parse(words.get(0).text(), words.get(1).text());
        } catch (IllegalArgumentException e) {
            StanzaInput.Word at = e.getMessage().startsWith("unknown socket kind") ? words.get(0) : words.get(1);
            throw new StanzaException(e.getMessage(), at.line(), at.column());
        }
        boolean accept = false;
        int backlog = DEFAULT_BACKLOG;
        int mode = DEFAULT_MODE;
        Optional<String> owner = Optional.empty();
        Optional<String> name = Optional.empty();
        int maxConnections = DEFAULT_MAX_CONNECTIONS;
        Optional<TriggerLimit> triggerLimit = Optional.empty();
        for (StanzaInput.Word word : words.subList(2, words.size())) {
            String text = word.text();
            int eq = text.indexOf('=');
            String key = eq < 0 ? text : text.substring(0, eq);
            String value = eq < 0 ? "" : text.substring(eq + 1);
            switch (key) {
                case "accept":
                    if (!address.kind().stream()) {
                        throw new StanzaException("accept needs a stream socket (tcp, tcp6 or unix)", word.line(),
                                word.column());
                    }
                    accept = true;
                    break;
                case "backlog":
                    backlog = number(word, value, 1, Integer.MAX_VALUE);
                    break;
                case "max-connections":
                    maxConnections = number(word, value, 1, Integer.MAX_VALUE);
                    break;
                case "mode":
                    unixOnly(address, word);
                    if (!value.matches("0?[0-7]{3}")) {
                        throw new StanzaException("bad mode '" + value + "': expected octal, e.g. 0660", word.line(),
                                word.column());
                    }
                    mode = Integer.parseInt(value, 8);
                    break;
                case "owner":
                    unixOnly(address, word);
                    if (!value.matches("[A-Za-z0-9_.][A-Za-z0-9_.-]*\\$?")) {
                        throw new StanzaException("bad owner '" + value + "': expected a user name", word.line(),
                                word.column());
                    }
                    owner = Optional.of(value);
                    break;
                case "name":
                    if (value.isEmpty() || value.length() > 255 || value.contains(":")
                            || value.chars().anyMatch(Character::isISOControl)) {
                        throw new StanzaException("bad name '" + value
                                + "': 1-255 characters, no ':' and no control characters", word.line(), word.column());
                    }
                    name = Optional.of(value);
                    break;
                case "trigger-limit":
                    triggerLimit = Optional.of(triggerLimit(word, value));
                    break;
                default:
                    throw new StanzaException("unknown socket option '" + text
                            + "': expected accept, backlog=N, mode=0660, owner=USER, name=FDNAME, max-connections=N"
                            + " or trigger-limit=BURST/SECONDS",
                            word.line(), word.column());
            }
        }
        if (!accept && maxConnections != DEFAULT_MAX_CONNECTIONS) {
            throw new StanzaException("max-connections only applies with accept", stanza.line(), stanza.column());
        }
        return new SocketSpec(address, accept, backlog, mode, owner, name, maxConnections, triggerLimit);
    }

    private static TriggerLimit triggerLimit(StanzaInput.Word word, String value) throws StanzaException {
        if (value.equals("off")) {
            return new TriggerLimit(0, 1);
        }
        int slash = value.indexOf('/');
        if (slash < 0) {
            throw new StanzaException("bad trigger-limit '" + value + "': expected BURST/SECONDS (20/2) or off",
                    word.line(), word.column());
        }
        return new TriggerLimit(number(word, value.substring(0, slash), 1, Integer.MAX_VALUE),
                number(word, value.substring(slash + 1), 1, 3600));
    }

    /** The trigger limit in force: the stanza's, else systemd's default for the mode. */
    public TriggerLimit effectiveTriggerLimit() {
        return triggerLimit.orElse(TriggerLimit.systemdDefault(accept));
    }

    /** How upstart-socket-bridge listened: defaults, no accept. */
    public static SocketSpec bridge(SocketAddress address) {
        return new SocketSpec(address, false, DEFAULT_BACKLOG, DEFAULT_MODE, Optional.empty(), Optional.empty(),
                DEFAULT_MAX_CONNECTIONS, Optional.empty());
    }

    /** The stanza read back from its words (as {@code JobView.stanzas()} keeps them). */
    public static SocketSpec parse(String job, List<String> arguments) throws StanzaException {
        List<StanzaInput.Word> words = new ArrayList<>();
        for (String argument : arguments) {
            words.add(new StanzaInput.Word(argument, 1, 1));
        }
        return parse(new StanzaInput(job, KEYWORD, words, 1, 1));
    }

    private static int number(StanzaInput.Word word, String value, int min, int max) throws StanzaException {
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new StanzaException("bad number in '" + word.text() + "'", word.line(), word.column());
    }

    private static void unixOnly(SocketAddress address, StanzaInput.Word word) throws StanzaException {
        if (address.kind() != SocketAddress.Kind.UNIX || address.isAbstract()) {
            throw new StanzaException("'" + word.text() + "' applies only to a unix socket with a path", word.line(),
                    word.column());
        }
    }

    /** The stanza's canonical text, options in a fixed order, defaults left out. */
    public String settings() {
        StringBuilder text = new StringBuilder(KEYWORD).append(' ').append(address.display());
        if (accept) {
            text.append(" accept");
        }
        if (backlog != DEFAULT_BACKLOG) {
            text.append(" backlog=").append(backlog);
        }
        if (mode != DEFAULT_MODE) {
            text.append(String.format(" mode=%04o", mode));
        }
        owner.ifPresent(o -> text.append(" owner=").append(o));
        name.ifPresent(n -> text.append(" name=").append(n));
        if (maxConnections != DEFAULT_MAX_CONNECTIONS) {
            text.append(" max-connections=").append(maxConnections);
        }
        triggerLimit.ifPresent(limit -> text.append(" trigger-limit=").append(limit));
        return text.toString();
    }
}

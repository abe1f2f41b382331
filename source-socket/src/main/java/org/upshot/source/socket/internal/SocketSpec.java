package org.upshot.source.socket.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.upshot.spi.stanza.StanzaException;
import org.upshot.spi.stanza.StanzaInput;

/**
 * One {@code socket} stanza: {@code socket KIND ADDRESS [accept] [backlog=N] [mode=0660]
 * [owner=USER] [name=FDNAME] [max-connections=N]}.
 *
 * @param address where to listen
 * @param accept inetd style: the daemon accepts, one instance per connection
 * @param backlog the {@code listen(2)} backlog (the kernel caps it at {@code net.core.somaxconn})
 * @param mode the unix socket node's mode
 * @param owner the unix socket node's owner, a user name
 * @param name the name in {@code LISTEN_FDNAMES}, empty for the job's name
 * @param maxConnections with {@code accept}: connections served at once; more are closed
 */
public record SocketSpec(SocketAddress address, boolean accept, int backlog, int mode, Optional<String> owner,
        Optional<String> name, int maxConnections) {

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
                default:
                    throw new StanzaException("unknown socket option '" + text
                            + "': expected accept, backlog=N, mode=0660, owner=USER, name=FDNAME or max-connections=N",
                            word.line(), word.column());
            }
        }
        if (!accept && maxConnections != DEFAULT_MAX_CONNECTIONS) {
            throw new StanzaException("max-connections only applies with accept", stanza.line(), stanza.column());
        }
        return new SocketSpec(address, accept, backlog, mode, owner, name, maxConnections);
    }

    /** How upstart-socket-bridge listened: defaults, no accept. */
    public static SocketSpec bridge(SocketAddress address) {
        return new SocketSpec(address, false, DEFAULT_BACKLOG, DEFAULT_MODE, Optional.empty(), Optional.empty(),
                DEFAULT_MAX_CONNECTIONS);
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
        return text.toString();
    }
}

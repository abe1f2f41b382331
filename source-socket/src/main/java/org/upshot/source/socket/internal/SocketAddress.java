package org.upshot.source.socket.internal;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a listener is bound, as the {@code socket} stanza writes it ({@code tcp 127.0.0.1:8080},
 * {@code tcp6 [::1]:8080}, {@code udp 53}, {@code unix /run/foo.sock}, {@code unix @foo}) or
 * as Upstart's {@code socket} event names it ({@code PROTO=inet PORT=80 ADDR=127.0.0.1}).
 *
 * @param kind the protocol family and socket type
 * @param host the numeric address for IP kinds ({@code 0.0.0.0} or {@code ::} for any), else empty
 * @param port the port for IP kinds, else 0
 * @param path the filesystem path, or {@code @name} for an abstract unix socket; empty for IP kinds
 */
public record SocketAddress(Kind kind, String host, int port, String path) {

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    /** sun_path holds 108 bytes with the terminating NUL (or the leading NUL of an abstract name). */
    private static final int MAX_PATH = 107;

    /** The kinds the stanza accepts, by keyword. */
    public enum Kind {
        TCP("tcp", "inet", true),
        TCP6("tcp6", "inet6", true),
        UDP("udp", "inet", false),
        UDP6("udp6", "inet6", false),
        UNIX("unix", "unix", true);

        private final String keyword;
        private final String proto;
        private final boolean stream;

        Kind(String keyword, String proto, boolean stream) {
            this.keyword = keyword;
            this.proto = proto;
            this.stream = stream;
        }

        /** Upstart's {@code PROTO} value. */
        public String proto() {
            return proto;
        }

        /** Connection-oriented: only these can {@code accept}. */
        public boolean stream() {
            return stream;
        }

        boolean ipv6() {
            return proto.equals("inet6");
        }

        static Optional<Kind> of(String keyword) {
            for (Kind kind : values()) {
                if (kind.keyword.equals(keyword)) {
                    return Optional.of(kind);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * Reads the stanza's form.
     *
     * @throws IllegalArgumentException with a message for the user
     */
    public static SocketAddress parse(String kindWord, String address) {
        Kind kind = Kind.of(kindWord.toLowerCase(Locale.ROOT)).orElseThrow(() -> new IllegalArgumentException(
                "unknown socket kind '" + kindWord + "': expected tcp, tcp6, udp, udp6 or unix"));
        if (kind == Kind.UNIX) {
            return unix(address);
        }
        String host = kind.ipv6() ? "::" : "0.0.0.0";
        String port = address;
        int colon = address.lastIndexOf(':');
        if (kind.ipv6() && address.startsWith("[")) {
            int close = address.indexOf(']');
            if (close < 0 || close + 1 >= address.length() || address.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("bad address '" + address + "': expected [ADDR]:PORT or PORT");
            }
            host = ipv6(address.substring(1, close));
            port = address.substring(close + 2);
        } else if (kind.ipv6() && colon >= 0) {
            throw new IllegalArgumentException("bad address '" + address + "': write an IPv6 address as [ADDR]:PORT");
        } else if (colon >= 0) {
            host = ipv4(address.substring(0, colon));
            port = address.substring(colon + 1);
        }
        return new SocketAddress(kind, host, parsePort(port), "");
    }

    /**
     * Reads an Upstart {@code socket} event match's keys: {@code PROTO=inet|inet6} with
     * {@code PORT} and optional {@code ADDR}, or {@code PROTO=unix} with {@code SOCKET_PATH}
     * (or Upstart's documented {@code PATH}, which binds but cannot match: see the README).
     *
     * @throws IllegalArgumentException with a message for the user
     */
    public static SocketAddress fromEventKeys(Map<String, String> keys) {
        String proto = keys.get("PROTO");
        if (proto == null) {
            throw new IllegalArgumentException("no PROTO= (inet, inet6 or unix)");
        }
        switch (proto) {
            case "inet":
            case "inet6": {
                String port = keys.get("PORT");
                if (port == null) {
                    throw new IllegalArgumentException("PROTO=" + proto + " needs PORT=");
                }
                Kind kind = proto.equals("inet") ? Kind.TCP : Kind.TCP6;
                String host = keys.get("ADDR");
                host = host == null ? (kind.ipv6() ? "::" : "0.0.0.0") : kind.ipv6() ? ipv6(host) : ipv4(host);
                return new SocketAddress(kind, host, parsePort(port), "");
            }
            case "unix": {
                String path = keys.getOrDefault("SOCKET_PATH", keys.get("PATH"));
                if (path == null) {
                    throw new IllegalArgumentException("PROTO=unix needs SOCKET_PATH=");
                }
                return unix(path);
            }
            default:
                throw new IllegalArgumentException("unknown PROTO=" + proto + ": expected inet, inet6 or unix");
        }
    }

    private static SocketAddress unix(String path) {
        if (path.startsWith("@")) {
            if (path.length() == 1) {
                throw new IllegalArgumentException("an abstract socket needs a name after @");
            }
        } else if (!path.startsWith("/")) {
            throw new IllegalArgumentException("unix socket path '" + path + "' is not absolute");
        }
        if (path.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_PATH) {
            throw new IllegalArgumentException("unix socket path '" + path + "' is longer than " + MAX_PATH + " bytes");
        }
        return new SocketAddress(Kind.UNIX, "", 0, path);
    }

    private static int parsePort(String text) {
        if (!text.matches("\\d{1,5}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > 65535) {
            throw new IllegalArgumentException("bad port '" + text + "': expected 1-65535");
        }
        return Integer.parseInt(text);
    }

    private static String ipv4(String text) {
        if (text.equals("*")) {
            return "0.0.0.0";
        }
        if (text.equals("localhost")) {
            return "127.0.0.1";
        }
        Matcher m = IPV4.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("bad IPv4 address '" + text + "'");
        }
        for (int i = 1; i <= 4; i++) {
            if (Integer.parseInt(m.group(i)) > 255) {
                throw new IllegalArgumentException("bad IPv4 address '" + text + "'");
            }
        }
        return text;
    }

    private static String ipv6(String text) {
        if (text.equals("*")) {
            return "::";
        }
        if (!IPV6.matcher(text).matches()) {
            throw new IllegalArgumentException("bad IPv6 address '" + text + "'");
        }
        try {
            // a literal only: no name lookup happens for text of these characters
            java.net.InetAddress address = java.net.InetAddress.getByName(text);
            if (!(address instanceof java.net.Inet6Address)) {
                throw new IllegalArgumentException("bad IPv6 address '" + text + "'");
            }
            return text;
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("bad IPv6 address '" + text + "'", e);
        }
    }

    /** Abstract unix name: no filesystem node. */
    public boolean isAbstract() {
        return kind == Kind.UNIX && path.startsWith("@");
    }

    /** As the stanza writes it: {@code tcp 127.0.0.1:8080}, {@code unix /run/x.sock}. */
    public String display() {
        return kind.keyword + " " + location();
    }

    /** As one word: {@code tcp:127.0.0.1:8080}, {@code tcp6:[::1]:8080}, {@code unix:/run/x.sock}. */
    public String id() {
        return kind.keyword + ":" + location();
    }

    private String location() {
        if (kind == Kind.UNIX) {
            return path;
        }
        return (kind.ipv6() ? "[" + host + "]" : host) + ":" + port;
    }

    /** Upstart's event variables: {@code PROTO}, {@code PORT}, {@code ADDR}; or {@code SOCKET_PATH}. */
    public Map<String, String> eventEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PROTO", kind.proto);
        if (kind == Kind.UNIX) {
            // not PATH: event variables reach the job's environment
            env.put("SOCKET_PATH", path);
        } else {
            env.put("PORT", Integer.toString(port));
            env.put("ADDR", host);
        }
        return env;
    }
}

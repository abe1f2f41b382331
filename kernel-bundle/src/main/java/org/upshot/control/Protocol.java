package org.upshot.control;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Constants and message helpers of the control protocol; see the package essay.
 *
 * <p>Version history of {@link #VERSION}:
 * <ul>
 * <li>1 (0.1.0): line-delimited JSON, the commands of {@link Command}, the codes of
 * {@link ErrorCode}, the {@code events} stream.</li>
 * </ul>
 */
public final class Protocol {

    /** The protocol version this code speaks, sent as {@code "v"} in every message. */
    public static final int VERSION = 1;

    /** The longest request line a server accepts, in bytes, newline excluded. */
    public static final int MAX_LINE_BYTES = 64 * 1024;

    /** The control socket's file name inside the runtime directory. */
    public static final String SOCKET_NAME = "control.sock";

    /** The environment variable through which jobs (and users) name the control socket. */
    public static final String SOCKET_ENV = "UPSHOT_SOCKET";

    // Field names, shared by client and server.
    public static final String F_VERSION = "v";
    public static final String F_ID = "id";
    public static final String F_CMD = "cmd";
    public static final String F_OK = "ok";
    public static final String F_CODE = "code";
    public static final String F_MESSAGE = "message";
    public static final String F_JOB = "job";
    public static final String F_INSTANCE = "instance";
    public static final String F_ENV = "env";
    public static final String F_WAIT = "wait";
    public static final String F_EVENT = "event";
    public static final String F_LEVEL = "level";
    public static final String F_RETAIN = "retain";

    private Protocol() {
    }

    /** A new request for {@code command} with the version, id and command set. */
    public static Map<String, Object> request(long id, Command command) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put(F_VERSION, Long.valueOf(VERSION));
        request.put(F_ID, Long.valueOf(id));
        request.put(F_CMD, command.wireName());
        return request;
    }

    /** A success reply to the request {@code id} ({@code null} when it had none). */
    public static Map<String, Object> okReply(Object id) {
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put(F_VERSION, Long.valueOf(VERSION));
        reply.put(F_ID, id);
        reply.put(F_OK, Boolean.TRUE);
        return reply;
    }

    /** An error reply to the request {@code id} ({@code null} when it had none or was unreadable). */
    public static Map<String, Object> errorReply(Object id, ErrorCode code, String message) {
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put(F_VERSION, Long.valueOf(VERSION));
        reply.put(F_ID, id);
        reply.put(F_OK, Boolean.FALSE);
        reply.put(F_CODE, code.name());
        reply.put(F_MESSAGE, message);
        return reply;
    }

    /**
     * The string field {@code name} of {@code message}.
     *
     * @return the value, or {@code null} when absent and not {@code required}
     * @throws JsonException if present with another type, or absent but required
     */
    public static String string(Map<String, Object> message, String name, boolean required) {
        Object value = message.get(name);
        if (value == null) {
            if (required) {
                throw new JsonException(missing(name));
            }
            return null;
        }
        if (!(value instanceof String)) {
            throw new JsonException(wrongType(name, "a string"));
        }
        return (String) value;
    }

    /**
     * The boolean field {@code name} of {@code message}, {@code fallback} when absent.
     *
     * @throws JsonException if present with another type
     */
    public static boolean bool(Map<String, Object> message, String name, boolean fallback) {
        Object value = message.get(name);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Boolean)) {
            throw new JsonException(wrongType(name, "true or false"));
        }
        return ((Boolean) value).booleanValue();
    }

    /**
     * The array-of-strings field {@code name} of {@code message}, empty when absent.
     *
     * @throws JsonException if present with another type
     */
    public static List<String> strings(Map<String, Object> message, String name) {
        Object value = message.get(name);
        if (value == null) {
            return new ArrayList<>();
        }
        if (!(value instanceof List)) {
            throw new JsonException(wrongType(name, "an array of strings"));
        }
        List<String> out = new ArrayList<>();
        for (Object item : (List<?>) value) {
            if (!(item instanceof String)) {
                throw new JsonException(wrongType(name, "an array of strings"));
            }
            out.add((String) item);
        }
        return out;
    }

    private static String missing(String name) {
        return new StringBuilder("missing field \"").append(name).append('"').toString();
    }

    private static String wrongType(String name, String type) {
        return new StringBuilder("field \"").append(name).append("\" must be ").append(type).toString();
    }
}

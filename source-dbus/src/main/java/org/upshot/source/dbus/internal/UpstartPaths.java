package org.upshot.source.dbus.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Upstart's object paths ({@code nih_dbus_path}): {@code /com/ubuntu/Upstart/jobs/JOB}
 * and {@code .../JOB/INSTANCE}, each element escaped: ASCII letters and digits stay, every
 * other byte of its UTF-8 is {@code _} and two lowercase hex digits, and an empty element
 * is {@code _} (a singleton's instance).
 */
public final class UpstartPaths {

    public static final String ROOT = "/com/ubuntu/Upstart";
    public static final String JOBS = ROOT + "/jobs";

    private UpstartPaths() {}

    /** One escaped path element. */
    public static String escape(String element) {
        if (element.isEmpty()) {
            return "_";
        }
        StringBuilder out = new StringBuilder();
        for (byte b : element.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
                out.append((char) c);
            } else {
                out.append('_').append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
            }
        }
        return out.toString();
    }

    /** The element {@code escaped} stands for; empty when it is no escape's output. */
    public static Optional<String> unescape(String escaped) {
        if (escaped.equals("_")) {
            return Optional.of("");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c == '_') {
                if (i + 2 >= escaped.length()) {
                    return Optional.empty();
                }
                int high = Character.digit(escaped.charAt(i + 1), 16);
                int low = Character.digit(escaped.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return Optional.empty();
                }
                out.write(high << 4 | low);
                i += 2;
            } else if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
                out.write(c);
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(out.toString(StandardCharsets.UTF_8));
    }

    public static String job(String job) {
        return JOBS + "/" + escape(job);
    }

    public static String instance(String job, String instance) {
        return job(job) + "/" + escape(instance);
    }
}

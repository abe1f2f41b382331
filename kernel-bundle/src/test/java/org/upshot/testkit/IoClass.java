package org.upshot.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A process's I/O scheduling class, as util-linux's {@code ionice -p} names it. */
public final class IoClass {
    private static final Pattern ANSWER = Pattern.compile("(none|realtime|best-effort|idle)(: prio \\d+)?");

    private IoClass() {
    }

    /**
     * {@code idle}, {@code none}, {@code best-effort} or {@code realtime}. Judged by what
     * ionice printed, not its exit status: a JVM that runs Upshot's reaper may take
     * ionice's status first, and the JDK then reports 0 whatever it was.
     *
     * @throws IOException if ionice did not answer with a class
     */
    public static String of(long pid) throws IOException, InterruptedException {
        Process ionice = new ProcessBuilder("ionice", "-p", Long.toString(pid)).redirectErrorStream(true).start();
        String output = new String(ionice.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        ionice.waitFor();
        Matcher answer = ANSWER.matcher(output);
        if (!answer.matches()) {
            throw new IOException("ionice -p " + pid + ": " + output);
        }
        return answer.group(1);
    }
}

package org.upshot.process;

import java.util.Locale;

/**
 * One {@code limit} stanza: a resource with soft and hard values.
 *
 * @param resource the resource, as named in job files ({@code nofile})
 * @param soft the soft limit, or {@link #UNLIMITED}
 * @param hard the hard limit, or {@link #UNLIMITED}
 */
public record ResourceLimit(Resource resource, long soft, long hard) {

    /** {@code RLIM_INFINITY}. */
    public static final long UNLIMITED = -1L;

    /** The resources Upstart's {@code limit} stanza accepts, with Linux's RLIMIT numbers. */
    public enum Resource {
        AS(9), CORE(4), CPU(0), DATA(2), FSIZE(1), MEMLOCK(8), MSGQUEUE(12), NICE(13),
        NOFILE(7), NPROC(6), RSS(5), RTPRIO(14), SIGPENDING(11), STACK(3);

        private final int number;

        Resource(int number) {
            this.number = number;
        }

        /** The {@code RLIMIT_*} constant on Linux. */
        public int number() {
            return number;
        }

        /** The job-file word, e.g. {@code nofile}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}

package org.upshot.daemon;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.StringJoiner;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The descriptors a re-exec of the daemon ({@code initctl reexec}) keeps open for the
 * program that replaces it, by name: listening sockets, the control socket, the notify
 * socket. Clients then wait in a backlog instead of being refused while the program is
 * replaced. Whoever opens such a descriptor {@link #keep}s it; in the new program the same
 * owner {@link #take}s it back instead of opening a new one. Names are global: prefix
 * them with the bundle's own ({@code socket/JOB/ADDRESS}). Thread-safe; a service of the
 * kernel bundle.
 *
 * @since 1.2
 */
@ProviderType
public interface DescriptorStore {

    /** Keeps {@code fd} open across the next re-exec under {@code name} (replacing what it named). */
    void keep(String name, int fd);

    /** Stops keeping what {@code name} named: it was closed. */
    void forget(String name);

    /**
     * The descriptor the program before the re-exec kept as {@code name}, now the
     * caller's own; empty once taken, and in a daemon that was not re-executed.
     */
    OptionalInt take(String name);

    /** What the next re-exec keeps, by name. */
    Map<String, Integer> kept();

    /** The descriptors handed over that no one took; the caller closes them. */
    List<Integer> takeUnclaimed();

    /** {@code descriptors} as {@link DaemonSettings#REEXEC_DESCRIPTORS} carries them: {@code NAME=FD,...}, names URL-encoded. */
    static String encode(Map<String, Integer> descriptors) {
        StringJoiner out = new StringJoiner(",");
        descriptors.forEach((name, fd) -> out.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "=" + fd));
        return out.toString();
    }
}

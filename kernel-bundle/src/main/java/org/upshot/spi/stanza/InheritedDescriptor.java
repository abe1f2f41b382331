package org.upshot.spi.stanza;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A file descriptor owned by a plugin (a listening socket, say) that the job's main
 * process inherits. The engine asks for it at each spawn, so the plugin may replace
 * the descriptor between runs.
 */
@ConsumerType
public interface InheritedDescriptor {

    /** The daemon's own descriptor number to pass, or -1 if there is none right now. */
    int descriptor();

    /** A name for {@code LISTEN_FDNAMES}, e.g. {@code "tcp:127.0.0.1:8080"}. */
    String name();
}

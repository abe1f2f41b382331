package org.upshot.engine.internal.control;

/**
 * The process at the other end of a control connection, from {@code SO_PEERCRED}:
 * its credentials when it connected.
 */
record Peer(int pid, int uid, int gid) {

    static final int ROOT = 0;

    boolean isRoot() {
        return uid == ROOT;
    }
}

package org.upshot.engine.internal.control;

import org.upshot.control.Command;

/**
 * Who may send what. A system daemon serves everybody (its socket is world-writable)
 * but lets only root change anything; a session daemon serves its owner alone.
 */
record AccessPolicy(boolean systemMode, int ownerUid) {

    static AccessPolicy system() {
        return new AccessPolicy(true, Peer.ROOT);
    }

    static AccessPolicy session(int ownerUid) {
        return new AccessPolicy(false, ownerUid);
    }

    /** The one the daemon is for (root, or the session's owner): always left room to connect. */
    boolean privileged(Peer peer) {
        return peer.uid() == ownerUid;
    }

    boolean permits(Peer peer, Command command) {
        if (systemMode) {
            return peer.isRoot() || command.isReadOnly();
        }
        return peer.uid() == ownerUid;
    }
}

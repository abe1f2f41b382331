package org.upshot.source.socket.internal;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.upshot.job.InstanceRef;
import org.upshot.spi.stanza.InheritedDescriptor;

/**
 * One listening socket the daemon owns, and what the table knows about it: who it
 * starts, whether it is watched, what it has triggered. Every field but the descriptor
 * is guarded by the {@link ListenerTable}'s lock. The object outlives closes and reopens
 * of its socket, because a loaded job's definition refers to it as the descriptor its
 * main process inherits.
 */
final class Listener implements InheritedDescriptor {

    /** How many finished, never-started connections are remembered, in case their start shows up late. */
    private static final int FORGOTTEN_CONNECTIONS = 1024;

    /** How far one accepted connection got. */
    enum Connection { PENDING, STARTED, UNSTARTED }

    final String key;
    final SocketAddress address;
    /** A {@code start on socket PROTO=…} listener (Upstart's bridge), not a stanza's. */
    final boolean upstartForm;
    /** The job whose stanza made it; empty for an Upstart-form listener. */
    final String owner;
    /** Read on the engine's thread too (at spawn, for the descriptor's name). */
    volatile SocketSpec spec;
    final Set<String> jobs = new HashSet<>();

    private volatile int fd = -1;
    private long inode = -1;
    /** Why the socket could not be opened, for the job's status; null when it is open or unused. */
    String failure;
    /**
     * Claimed by its stanza, and not yet in a list of loaded jobs: a claim is made while
     * its file is parsed, so the list that comes next may predate it.
     */
    boolean freshClaim;
    /**
     * Its job is among the engine's loaded jobs. Only then is it watched: an event the
     * engine cannot match yet would start nothing, and with {@code accept} its connection
     * would be closed unanswered; until then clients wait in the backlog.
     */
    boolean loaded;

    /** Instances of the owning jobs between starting and stopped. */
    final Set<InstanceRef> active = new HashSet<>();
    /** An event was emitted and its effect is not known yet. */
    boolean eventPending;
    /** Not watched before this time (System.nanoTime), after an event that started nothing. */
    long quietUntil;
    boolean startedSinceTrigger;
    final ArrayDeque<Long> triggers = new ArrayDeque<>();
    /** Paused by the trigger limit, until {@link #limitedUntil} (System.nanoTime). */
    boolean limited;
    long limitedUntil;
    /** With accept: connections by instance name. */
    final Map<String, Connection> connections = new LinkedHashMap<>();
    long served;
    long refused;

    Listener(String key, String owner, SocketSpec spec) {
        this.key = key;
        this.owner = owner;
        this.address = spec.address();
        this.upstartForm = owner.isEmpty();
        this.spec = spec;
    }

    boolean accept() {
        return spec.accept();
    }

    boolean open() {
        return fd >= 0;
    }

    int fd() {
        return fd;
    }

    void opened(int descriptor) {
        this.fd = descriptor;
        this.inode = NativeSockets.inode(address);
        this.failure = null;
    }

    /** Closes the socket and removes its node; the object stays for a later reopen. */
    void close() {
        int open = fd;
        fd = -1;
        if (open >= 0) {
            NativeSockets.close(open);
            NativeSockets.unlink(address, inode);
        }
        inode = -1;
        loaded = false;
        active.clear();
        connections.clear();
        eventPending = false;
        limited = false;
        triggers.clear();
    }

    /** Watched now: open, its job loaded, not paused by the trigger limit, and (unless accepting) its job down. */
    boolean watched(long now) {
        if (!open() || !loaded || limited) {
            return false;
        }
        return now - quietUntil >= 0 && (accept() || (active.isEmpty() && !eventPending));
    }

    /** Whether one more start now would exceed the trigger limit. */
    boolean atLimit(long now) {
        SocketSpec.TriggerLimit limit = spec.effectiveTriggerLimit();
        if (limit.burst() == 0) {
            return false;
        }
        while (!triggers.isEmpty() && now - triggers.peekFirst() > limit.seconds() * 1_000_000_000L) {
            triggers.removeFirst();
        }
        return triggers.size() >= limit.burst();
    }

    /** Counts one start. */
    void triggered(long now) {
        triggers.addLast(now);
    }

    /** Pauses the listener for {@code pauseNanos}: what waits stays in the backlog. */
    void pause(long now, long pauseNanos) {
        limited = true;
        limitedUntil = now + pauseNanos;
    }

    /** Ends the pause (it ran out, or the job was started by hand). */
    void resume() {
        limited = false;
        triggers.clear();
    }

    /** Connections being served: accepted and not yet stopped. */
    int openConnections() {
        int open = 0;
        for (Connection state : connections.values()) {
            if (state != Connection.UNSTARTED) {
                open++;
            }
        }
        return open;
    }

    /** The connection's event finished; if nothing has started it, it stops counting. */
    void connectionEventDone(String instance) {
        if (connections.get(instance) == Connection.PENDING) {
            connections.put(instance, Connection.UNSTARTED);
            int unstarted = connections.size() - openConnections();
            for (Iterator<Map.Entry<String, Connection>> it = connections.entrySet().iterator();
                    it.hasNext() && unstarted > FORGOTTEN_CONNECTIONS;) {
                if (it.next().getValue() == Connection.UNSTARTED) {
                    it.remove();
                    unstarted--;
                }
            }
        }
    }

    @Override
    public int descriptor() {
        return fd;
    }

    @Override
    public String name() {
        return spec.name().orElse(upstartForm ? "socket" : owner);
    }

    @Override
    public String toString() {
        return address.display();
    }
}

package org.upshot.process.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import jnr.ffi.Pointer;
import jnr.ffi.byref.IntByReference;
import org.upshot.process.PosixException;

/**
 * The numeric user, group and supplementary groups a child switches to, resolved in
 * the daemon (outside any chroot) so that an unknown name fails before anything is
 * spawned.
 *
 * @param uid the user to become, or -1 to keep the daemon's
 * @param gid the group to become, or -1 to keep the daemon's
 * @param groups the supplementary groups; empty with a uid of -1 keeps the daemon's
 */
record Identity(int uid, int gid, List<Integer> groups) {

    static final Identity UNCHANGED = new Identity(-1, -1, List.of());

    /** {@code struct passwd}: pw_uid and pw_gid follow two pointers. */
    private static final int PW_UID_OFFSET = 16;
    private static final int PW_GID_OFFSET = 20;
    /** {@code struct group}: gr_gid follows two pointers. */
    private static final int GR_GID_OFFSET = 16;
    private static final int MAX_GROUPS = 65536;

    /** getpwnam and friends return static buffers. */
    private static final Object LOOKUP_LOCK = new Object();

    boolean changesUser() {
        return uid >= 0;
    }

    boolean changesGroup() {
        return gid >= 0;
    }

    /** The supplementary groups as {@code setpriv --groups} and {@code chroot --groups} want them. */
    String groupList() {
        return groups.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /**
     * Resolves a job's {@code setuid} and {@code setgid} values (names or numbers).
     * A user without a group takes the user's primary group and supplementary groups;
     * a numeric uid with no passwd entry gets the group of the same number.
     *
     * @throws PosixException named {@code setuid} or {@code setgid} for an unknown name
     */
    static Identity resolve(Optional<String> user, Optional<String> group) throws PosixException {
        if (user.isEmpty() && group.isEmpty()) {
            return UNCHANGED;
        }
        synchronized (LOOKUP_LOCK) {
            int gid = group.isPresent() ? groupId(group.get()) : -1;
            if (user.isEmpty()) {
                return new Identity(-1, gid, List.of());
            }
            String name = user.get();
            LibC libc = Native.libc();
            Pointer entry = isNumber(name) ? libc.getpwuid(Integer.parseInt(name)) : libc.getpwnam(name);
            if (entry == null) {
                if (!isNumber(name)) {
                    throw new PosixException("setuid", 0, "no such user '" + name + "'");
                }
                int uid = Integer.parseInt(name);
                int primary = gid >= 0 ? gid : uid;
                return new Identity(uid, primary, List.of(primary));
            }
            int uid = entry.getInt(PW_UID_OFFSET);
            int primary = gid >= 0 ? gid : entry.getInt(PW_GID_OFFSET);
            String userName = entry.getPointer(0).getString(0);
            return new Identity(uid, primary, supplementaryGroups(userName, primary));
        }
    }

    private static int groupId(String group) throws PosixException {
        if (isNumber(group)) {
            return Integer.parseInt(group);
        }
        Pointer entry = Native.libc().getgrnam(group);
        if (entry == null) {
            throw new PosixException("setgid", 0, "no such group '" + group + "'");
        }
        return entry.getInt(GR_GID_OFFSET);
    }

    private static List<Integer> supplementaryGroups(String user, int primary) {
        int[] groups = new int[64];
        IntByReference count = new IntByReference(groups.length);
        while (Native.libc().getgrouplist(user, primary, groups, count) == -1
                && groups.length < MAX_GROUPS) {
            groups = new int[Math.max(count.intValue(), groups.length * 2)];
            count = new IntByReference(groups.length);
        }
        return Arrays.stream(groups, 0, Math.min(count.intValue(), groups.length)).boxed().toList();
    }

    private static boolean isNumber(String text) {
        return !text.isEmpty() && text.length() < 10 && text.chars().allMatch(Character::isDigit);
    }
}

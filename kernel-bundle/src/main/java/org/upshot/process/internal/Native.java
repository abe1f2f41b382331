package org.upshot.process.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import org.upshot.process.PosixException;

/** The loaded libc binding and the errno and memory helpers every caller shares. */
public final class Native {

    private static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
    private static final Runtime RUNTIME = Runtime.getRuntime(LIBC);

    private Native() {}

    /** The process-wide libc binding. */
    public static LibC libc() {
        return LIBC;
    }

    static Runtime runtime() {
        return RUNTIME;
    }

    /** The errno saved by the last {@code @SaveError} call on this thread. */
    static int errno() {
        return RUNTIME.getLastError();
    }

    /** Throws the call's errno as a {@link PosixException} when {@code result} is -1. */
    static int check(int result, String call, String detail) throws PosixException {
        if (result == -1) {
            throw new PosixException(call, errno(), detail);
        }
        return result;
    }

    /** Throws when a call that returns its error number (the posix_spawn family) failed. */
    static void checkReturned(int error, String call, String detail) throws PosixException {
        if (error != 0) {
            throw new PosixException(call, error, detail);
        }
    }

    static Pointer allocate(int size) {
        return Memory.allocateDirect(RUNTIME, size, true);
    }

    /**
     * A NUL-terminated {@code char *[]} with its strings in one block of native memory,
     * which stays alive as long as the returned pointer is reachable.
     */
    public static Pointer stringArray(List<String> strings) {
        int pointerSize = RUNTIME.addressSize();
        byte[][] encoded = new byte[strings.size()][];
        int size = (strings.size() + 1) * pointerSize;
        for (int i = 0; i < encoded.length; i++) {
            encoded[i] = strings.get(i).getBytes(StandardCharsets.UTF_8);
            size += encoded[i].length + 1;
        }
        Pointer block = Memory.allocateDirect(RUNTIME, size, true);
        long offset = (long) (strings.size() + 1) * pointerSize;
        for (int i = 0; i < encoded.length; i++) {
            block.putAddress((long) i * pointerSize, block.address() + offset);
            block.put(offset, encoded[i], 0, encoded[i].length);
            offset += encoded[i].length + 1;
        }
        return block;
    }
}

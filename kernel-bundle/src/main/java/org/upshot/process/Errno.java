package org.upshot.process;

/** Text for the errno values the process layer reports. */
final class Errno {

    private Errno() {}

    static String describe(int errno) {
        String text = switch (errno) {
            case 1 -> "Operation not permitted";
            case 2 -> "No such file or directory";
            case 3 -> "No such process";
            case 4 -> "Interrupted system call";
            case 5 -> "Input/output error";
            case 7 -> "Argument list too long";
            case 8 -> "Exec format error";
            case 9 -> "Bad file descriptor";
            case 10 -> "No child processes";
            case 11 -> "Resource temporarily unavailable";
            case 12 -> "Cannot allocate memory";
            case 13 -> "Permission denied";
            case 16 -> "Device or resource busy";
            case 17 -> "File exists";
            case 20 -> "Not a directory";
            case 21 -> "Is a directory";
            case 22 -> "Invalid argument";
            case 24 -> "Too many open files";
            case 26 -> "Text file busy";
            case 28 -> "No space left on device";
            case 30 -> "Read-only file system";
            case 36 -> "File name too long";
            case 40 -> "Too many levels of symbolic links";
            default -> "errno " + errno;
        };
        return text + " (errno " + errno + ")";
    }
}

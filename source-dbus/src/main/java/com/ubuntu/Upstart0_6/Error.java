package com.ubuntu.Upstart0_6;

import org.freedesktop.dbus.exceptions.DBusExecutionException;

/**
 * Upstart's D-Bus error names, {@code com.ubuntu.Upstart0_6.Error.*}. dbus-java names an error after the class of the exception a method throws
 * ({@code $} read as {@code .}), so each of these is the error of the same name.
 */
public final class Error {

    private Error() {}

    public static final class UnknownJob extends DBusExecutionException {
        private static final long serialVersionUID = 1L;

        public UnknownJob(String message) {
            super(message);
        }
    }

    public static final class UnknownInstance extends DBusExecutionException {
        private static final long serialVersionUID = 1L;

        public UnknownInstance(String message) {
            super(message);
        }
    }

    public static final class AlreadyStarted extends DBusExecutionException {
        private static final long serialVersionUID = 1L;

        public AlreadyStarted(String message) {
            super(message);
        }
    }

    public static final class AlreadyStopped extends DBusExecutionException {
        private static final long serialVersionUID = 1L;

        public AlreadyStopped(String message) {
            super(message);
        }
    }

    public static final class PermissionDenied extends DBusExecutionException {
        private static final long serialVersionUID = 1L;

        public PermissionDenied(String message) {
            super(message);
        }
    }

    public static final class JobFailed extends DBusExecutionException {
        private static final long serialVersionUID = 1L;

        public JobFailed(String message) {
            super(message);
        }
    }

    public static final class EventFailed extends DBusExecutionException {
        private static final long serialVersionUID = 1L;

        public EventFailed(String message) {
            super(message);
        }
    }
}

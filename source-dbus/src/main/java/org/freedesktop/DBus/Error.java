package org.freedesktop.DBus;

import org.freedesktop.dbus.exceptions.DBusExecutionException;

/**
 * The bus's standard error names this plugin answers with, {@code org.freedesktop.DBus.Error.*}. dbus-java names an error after the class of the exception a method throws
 * ({@code $} read as {@code .}), so each of these is the error of the same name.
 */
public final class Error {

    private Error() {}

    public static final class InvalidArgs extends DBusExecutionException {
        private static final long serialVersionUID = 1L;

        public InvalidArgs(String message) {
            super(message);
        }
    }

    public static final class UnknownObject extends DBusExecutionException {
        private static final long serialVersionUID = 1L;

        public UnknownObject(String message) {
            super(message);
        }
    }

    public static final class UnknownProperty extends DBusExecutionException {
        private static final long serialVersionUID = 1L;

        public UnknownProperty(String message) {
            super(message);
        }
    }

    public static final class PropertyReadOnly extends DBusExecutionException {
        private static final long serialVersionUID = 1L;

        public PropertyReadOnly(String message) {
            super(message);
        }
    }

    public static final class Failed extends DBusExecutionException {
        private static final long serialVersionUID = 1L;

        public Failed(String message) {
            super(message);
        }
    }
}

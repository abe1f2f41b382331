package org.upshot.source.dbus.internal;

import java.util.ArrayList;
import java.util.List;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.messages.Message;
import org.freedesktop.dbus.messages.constants.HeaderField;
import org.freedesktop.dbus.messages.constants.MessageTypes;

/**
 * A signal with a destination, which dbus-java's own signals cannot have: systemd's
 * {@code ActivationFailure} goes to {@code org.freedesktop.DBus} only. Marshalled as
 * dbus-java marshals a method call, with the signal's type.
 */
final class DirectedSignal extends Message {

    DirectedSignal(byte endianness, String destination, String path, String iface, String member,
            String signature, Object... args) throws DBusException {
        super(endianness, MessageTypes.SIGNAL.getId(), (byte) 0);
        Object[] header = getHeader();
        header[HeaderField.PATH] = path;
        header[HeaderField.DESTINATION] = destination;
        header[HeaderField.INTERFACE] = iface;
        header[HeaderField.MEMBER] = member;
        List<Object> fields = new ArrayList<>();
        fields.add(createHeaderArgs(HeaderField.PATH, "o", path));
        fields.add(createHeaderArgs(HeaderField.DESTINATION, "s", destination));
        fields.add(createHeaderArgs(HeaderField.INTERFACE, "s", iface));
        fields.add(createHeaderArgs(HeaderField.MEMBER, "s", member));
        if (signature != null && !signature.isEmpty()) {
            header[HeaderField.SIGNATURE] = signature;
            fields.add(createHeaderArgs(HeaderField.SIGNATURE, "g", signature));
            setArgs(args);
        }
        padAndMarshall(fields, getSerial(), signature, args);
    }
}

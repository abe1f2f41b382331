package org.upshot.source.udev.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UeventTest {

    private static byte[] strings(String... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String part : parts) {
            out.writeBytes(part.getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        return out.toByteArray();
    }

    @Test
    void readsTheKernelsFormatAndNamesTheEventAsTheBridgeDid() {
        byte[] message = strings("add@/devices/virtual/net/veth0", "ACTION=add", "DEVPATH=/devices/virtual/net/veth0",
                "SUBSYSTEM=net", "INTERFACE=veth0", "IFINDEX=7", "SEQNUM=4242");
        Uevent event = Uevent.parse(message, message.length).orElseThrow();
        assertEquals("net-device-added", event.eventName());
        assertEquals(4242, event.seqnum());
        assertEquals(List.of("KERNEL=veth0", "DEVPATH=/devices/virtual/net/veth0", "SUBSYSTEM=net", "ACTION=add",
                "INTERFACE=veth0", "IFINDEX=7", "SEQNUM=4242"), event.environment());
    }

    @Test
    void readsLibudevsFormatWithPropertiesAfterRules() {
        byte[] properties = strings("ACTION=change", "DEVPATH=/devices/pci0000:00/block/sda", "SUBSYSTEM=block",
                "DEVNAME=/dev/sda", "ID_FS_TYPE=ext4", "SEQNUM=9");
        ByteBuffer message = ByteBuffer.allocate(40 + properties.length);
        message.put("libudev\0".getBytes(StandardCharsets.US_ASCII));
        message.order(ByteOrder.BIG_ENDIAN).putInt(0xfeedcafe);
        message.order(ByteOrder.nativeOrder()).putInt(40).putInt(40).putInt(properties.length);
        message.position(40);
        message.put(properties);
        Uevent event = Uevent.parse(message.array(), message.capacity()).orElseThrow();
        assertEquals("block-device-changed", event.eventName());
        assertEquals(List.of("KERNEL=sda", "DEVPATH=/devices/pci0000:00/block/sda", "DEVNAME=/dev/sda",
                "SUBSYSTEM=block", "ACTION=change", "ID_FS_TYPE=ext4", "SEQNUM=9"), event.environment());
    }

    @Test
    void otherActionsAreNamedVerbatimAndDevnamesBecomeDevPaths() {
        Uevent online = Uevent.of(Map.of("ACTION", "online", "DEVPATH", "/devices/system/cpu/cpu1",
                "SUBSYSTEM", "cpu")).orElseThrow();
        assertEquals("cpu-device-online", online.eventName());
        Uevent tty = Uevent.of(Map.of("ACTION", "remove", "DEVPATH", "/devices/virtual/tty/tty3",
                "SUBSYSTEM", "tty", "DEVNAME", "tty3")).orElseThrow();
        assertEquals("tty-device-removed", tty.eventName());
        assertTrue(tty.environment().contains("DEVNAME=/dev/tty3"), tty.environment().toString());
    }

    @Test
    void bytesThatAreNotPrintableAreDropped() {
        Uevent event = Uevent.of(Map.of("ACTION", "add", "DEVPATH", "/devices/x", "SUBSYSTEM", "input",
                "NAME", "\"Key\u0001board\u007f\"")).orElseThrow();
        assertTrue(event.environment().contains("NAME=\"Keyboard\""), event.environment().toString());
    }

    @Test
    void garbageIsNoEvent() {
        byte[] junk = strings("hello", "world");
        assertTrue(Uevent.parse(junk, junk.length).isEmpty());
        byte[] partial = strings("add@/devices/x", "ACTION=add");
        assertTrue(Uevent.parse(partial, partial.length).isEmpty(), "no DEVPATH or SUBSYSTEM");
        byte[] badHeader = new byte[48];
        System.arraycopy("libudev\0".getBytes(StandardCharsets.US_ASCII), 0, badHeader, 0, 8);
        assertTrue(Uevent.parse(badHeader, badHeader.length).isEmpty(), "wrong magic");
    }
}

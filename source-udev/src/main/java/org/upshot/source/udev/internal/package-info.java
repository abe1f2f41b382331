/**
 * How the udev source works.
 *
 * <h2>Where events come from</h2>
 * One {@code NETLINK_KOBJECT_UEVENT} socket, read by one thread. When a udev daemon runs
 * ({@code /run/udev/control} exists) it joins udevd's group and gets each device's
 * properties after udev's rules ({@code ID_*}); otherwise the kernel's group, raw uevents.
 * {@code -Dupshot.udev.group=kernel|udev} overrides the choice. The log says which at start,
 * and {@code initctl status} shows it under every job that waits for a device event; when
 * no netlink socket can be had (a container without it) the same line says why, and the
 * daemon goes on.
 *
 * <h2>The events</h2>
 * upstart-udev-bridge's: {@code SUBSYSTEM-device-added}, {@code -changed}, {@code -removed},
 * or {@code -ACTION} verbatim for any other action; variables {@code KERNEL DEVPATH DEVNAME
 * SUBSYSTEM ACTION} first ({@code DEVNAME} as a {@code /dev} path, only for devices with a
 * node), then every other property in the order sent; bytes that are not printable are
 * dropped. Events are not waited on, as the bridge's were not.
 *
 * <h2>Devices present at start</h2>
 * When the source first learns the jobs, it reads the kernel's uevent sequence number,
 * lists the devices as {@code udevadm trigger} does (the links in {@code /sys/class/*}
 * and each bus's {@code devices}, to directories under {@code /sys/devices} with a
 * {@code uevent} file and a {@code subsystem} link), and announces each, parents first,
 * as {@code -added} with {@code COLDPLUG=1}. Where udevd runs, the properties its rules
 * gave each device ({@code E:} lines in {@code /run/udev/data}) join the kernel's, as its
 * own events would carry them. Uevents up to that sequence number are skipped afterwards:
 * the scan already told of them.
 *
 * <h2>Only what jobs wait for</h2>
 * Every {@code start on}/{@code stop on} match on a {@code *-device-*} event is judged in
 * the reading thread: the event name's glob and each {@code KEY=GLOB} argument. One the
 * source cannot judge alone ({@code $VAR}, a negation, a positional argument) lets the
 * event through for the engine to decide. The rest are dropped there and then.
 *
 * <h2>No change lost</h2>
 * The receive buffer is 128 MiB ({@code SO_RCVBUFFORCE} as root, else as much as
 * {@code net.core.rmem_max} allows; {@code -Dupshot.udev.receive.buffer.bytes}). If it
 * overflows anyway ({@code ENOBUFS}), the kernel drops every later uevent for the socket,
 * silently, until a read finds the queue empty; so the source first reads what is queued
 * (and passes it on as usual), then scans {@code /sys} again and announces every device
 * that came or went meanwhile ({@code -added}/{@code -removed} with {@code RESCAN=1}); it
 * keeps the set of present devices for that. Lost {@code -changed} events stay lost, and so
 * does a device that came and went within the lost stretch: nothing of it is left to find.
 * An overflow before the start-up scan needs no rescan: that scan comes after it.
 */
package org.upshot.source.udev.internal;

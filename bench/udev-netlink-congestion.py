#!/usr/bin/env python3
"""Kernel behaviour behind a udev-source finding (bench/README.md, "Forced overflows").

Once a NETLINK_KOBJECT_UEVENT socket has overflowed, does the kernel drop new uevents
silently until the socket's queue has been read empty? Needs root; makes veth pairs
named ubnq* and deletes them again.

    python3 bench/udev-netlink-congestion.py
"""
import errno
import os
import socket
import subprocess
import time

SO_RCVBUFFORCE = 33
made = []


def drops(sock):
    inode = str(os.fstat(sock.fileno()).st_ino)
    with open('/proc/net/netlink') as table:
        for line in table:
            fields = line.split()
            if fields[-1] == inode:
                return int(fields[8])
    return -1


def add(name):
    subprocess.run(['ip', 'link', 'add', name + 'a', 'type', 'veth', 'peer', 'name', name + 'b'], check=True)
    made.append(name + 'a')


def read_all(sock):
    """Every queued message's head, and how many reads said ENOBUFS."""
    heads, enobufs = [], 0
    while True:
        try:
            heads.append(sock.recv(65536).split(b'\0')[0].decode())
        except socket.timeout:
            return heads, enobufs
        except OSError as e:
            if e.errno != errno.ENOBUFS:
                raise
            enobufs += 1


sock = socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, 15)
sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 4096)
sock.bind((0, 1))
try:
    for i in range(10):
        add('ubnq%d' % i)  # far more than 4 KiB of uevents
    time.sleep(0.3)
    try:
        sock.recv(65536)
        print('first read: a message (no overflow?)')
    except OSError as e:
        print('first read:', errno.errorcode[e.errno], '- kernel drops so far:', drops(sock))
    before = drops(sock)
    add('ubnqZ')  # the old messages are still queued
    time.sleep(0.3)
    print('ubnqZ made: kernel drops +%d' % (drops(sock) - before))
    sock.settimeout(0.5)
    heads, enobufs = read_all(sock)
    print('read %d queued messages; ubnqZ among them: %s; further ENOBUFS: %d'
          % (len(heads), any('ubnqZ' in h for h in heads), enobufs))
    # the queue is empty now: one uevent (a "change" on our own link) is delivered again
    with open('/sys/class/net/ubnq0a/uevent', 'w') as uevent:
        uevent.write('change')
    time.sleep(0.3)
    heads, enobufs = read_all(sock)
    print('after the queue was read empty: change@ubnq0a delivered: %s'
          % any(h.startswith('change@') and h.endswith('/ubnq0a') for h in heads))
finally:
    for name in made:
        subprocess.run(['ip', 'link', 'del', name])

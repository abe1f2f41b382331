"""Steady client load on an Upshot daemon while it re-executes itself (bench/reexec.sh).

Three clients run side by side until the re-exec is over and 2 s more have passed:
  - an emitter: `emit tick N=i --no-wait` one after another over the control socket; an
    emit counts as taken only when its reply says ok (one refused or cut off by the exec
    is sent again with the same N);
  - a socket client: connect to the echo job's unix socket and read its answer, one after
    another;
  - the re-exec itself: `reexec` over the control socket, then the time until a new
    connection's `version` is answered.
Prints one RESULT line; the caller counts the ticks the jobs saw.
"""
import json
import socket
import sys
import threading
import time

control, echo, taken_file = sys.argv[1], sys.argv[2], sys.argv[3]
stop = threading.Event()
counts = {"emits_taken": 0, "emits_retried": 0, "control_refused": 0,
          "echo_answered": 0, "echo_refused": 0, "echo_unanswered": 0}


def request(message, sock=None):
    own = sock is None
    if own:
        sock = socket.socket(socket.AF_UNIX)
        sock.connect(control)
    sock.sendall((json.dumps(message) + "\n").encode())
    reply = b""
    while not reply.endswith(b"\n"):
        chunk = sock.recv(4096)
        if not chunk:
            break
        reply += chunk
    if own:
        sock.close()
    return json.loads(reply) if reply else None


def emitter():
    n = 0
    with open(taken_file, "w") as taken:
        while not stop.is_set():
            try:
                reply = request({"v": 1, "id": n, "cmd": "emit", "event": "tick",
                                 "env": ["N=%d" % n], "wait": False})
            except (ConnectionRefusedError, FileNotFoundError):
                counts["control_refused"] += 1
                reply = None
            except OSError:
                reply = None
            if reply and reply.get("ok"):
                taken.write("%d\n" % n)
                counts["emits_taken"] += 1
                n += 1
            else:
                counts["emits_retried"] += 1
            time.sleep(0.02)


def echo_client():
    while not stop.is_set():
        sock = socket.socket(socket.AF_UNIX)
        try:
            sock.connect(echo)
            sock.settimeout(30)
            if sock.recv(16) == b"hi\n":
                counts["echo_answered"] += 1
            else:
                counts["echo_unanswered"] += 1
        except (ConnectionRefusedError, FileNotFoundError):
            counts["echo_refused"] += 1
        except OSError:
            counts["echo_unanswered"] += 1
        finally:
            sock.close()


threads = [threading.Thread(target=emitter), threading.Thread(target=echo_client)]
for thread in threads:
    thread.start()
time.sleep(2)
sock = socket.socket(socket.AF_UNIX)
sock.connect(control)
begin = time.monotonic()
reply = request({"v": 1, "id": "reexec", "cmd": "reexec"}, sock)
accepted = time.monotonic()
while sock.recv(4096):
    pass  # the exec ends this connection
execed = time.monotonic()
answered = request({"v": 1, "id": "version", "cmd": "version"})
end = time.monotonic()
time.sleep(2)
stop.set()
for thread in threads:
    thread.join()
print("RESULT reexec_ok=%s accepted_ms=%.0f exec_ms=%.0f answers_again_ms=%.0f %s" % (
    bool(reply and reply.get("ok") and answered and answered.get("ok")),
    (accepted - begin) * 1000, (execed - begin) * 1000, (end - begin) * 1000,
    " ".join("%s=%d" % item for item in counts.items())))

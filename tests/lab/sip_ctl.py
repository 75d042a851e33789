#!/usr/bin/python3
"""Drive a baresip user agent through its ctrl_tcp module (stdlib only).

Usage: sip_ctl.py ADDR:PORT STEP...

ctrl_tcp speaks JSON in netstrings ("LEN:{...},") over TCP: commands go
in ({"command", "params", "token"}), responses and events come out.  The
steps run in order; any failure exits non-zero, so a scenario script can
tell a real call from one that never happened:

  uanew ACCOUNT       create a user agent from an account line (it
                      registers at once when the account has a regint)
  dial URI            place a call
  hangup              hang up the current call
  expect TYPE SECS    wait up to SECS for an event of TYPE (REGISTER_OK,
                      CALL_ESTABLISHED, CALL_CLOSED, ...); an event seen
                      earlier counts, so the order of arrival is free
  sleep SECS          wait, collecting events

An event that contradicts the one awaited (REGISTER_FAIL while waiting
for REGISTER_OK, CALL_CLOSED before CALL_ESTABLISHED) fails at once.
Every event is printed on stdout with its time since the start.
"""

import json
import socket
import sys
import time

# Events that end the wait for another one.
CONTRADICTS = {
    "REGISTER_OK": ("REGISTER_FAIL",),
    "REGISTER_FAIL": ("REGISTER_OK",),
    "CALL_RINGING": ("CALL_CLOSED",),
    "CALL_ESTABLISHED": ("CALL_CLOSED",),
}


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


class Ctrl:
    def __init__(self, addr, port):
        self.sock = socket.create_connection((addr, port), timeout=5)
        self.buf = b""
        self.events = []
        self.start = time.monotonic()
        self.token = 0

    def send(self, command, params=""):
        self.token += 1
        msg = json.dumps({"command": command, "params": params,
                          "token": str(self.token)}).encode()
        self.sock.sendall(b"%d:%s," % (len(msg), msg))
        return str(self.token)

    def read(self, deadline):
        """Next message before DEADLINE (monotonic), or None."""
        while True:
            head, sep, rest = self.buf.partition(b":")
            if sep:
                n = int(head)
                if len(rest) > n:
                    if rest[n:n + 1] != b",":
                        fail("ctrl_tcp: bad netstring")
                    self.buf = rest[n + 1:]
                    return json.loads(rest[:n])
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            self.sock.settimeout(left)
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                return None
            if not data:
                fail("ctrl_tcp: baresip closed the connection")
            self.buf += data

    def note(self, msg):
        if msg.get("event"):
            print("%6.2f %s %s" % (time.monotonic() - self.start,
                                   msg.get("type"), msg.get("param", "")),
                  flush=True)
            self.events.append(msg.get("type"))

    def command(self, command, params=""):
        token = self.send(command, params)
        deadline = time.monotonic() + 5
        while True:
            msg = self.read(deadline)
            if msg is None:
                fail("no response to %s" % command)
            self.note(msg)
            if msg.get("response") and msg.get("token") == token:
                if not msg.get("ok"):
                    fail("%s %s: %s" % (command, params, msg.get("data")))
                return

    def expect(self, etype, secs):
        deadline = time.monotonic() + secs
        bad = CONTRADICTS.get(etype, ())
        while True:
            for seen in self.events:
                if seen == etype:
                    self.events.remove(seen)
                    return
                if seen in bad:
                    fail("%s while waiting for %s" % (seen, etype))
            msg = self.read(deadline)
            if msg is None:
                fail("no %s within %s s" % (etype, secs))
            self.note(msg)

    def sleep(self, secs):
        deadline = time.monotonic() + secs
        while True:
            msg = self.read(deadline)
            if msg is None:
                return
            self.note(msg)


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    addr, _, port = sys.argv[1].rpartition(":")
    ctl = Ctrl(addr, int(port))
    args = sys.argv[2:]
    while args:
        step = args.pop(0)
        if step in ("uanew", "dial"):
            ctl.command(step, args.pop(0))
        elif step == "hangup":
            ctl.command(step)
        elif step == "expect":
            ctl.expect(args.pop(0), float(args.pop(0)))
        elif step == "sleep":
            ctl.sleep(float(args.pop(0)))
        else:
            fail("unknown step " + step)


if __name__ == "__main__":
    main()

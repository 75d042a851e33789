#!/usr/bin/python3
"""One short XMPP client session for the network lab (RFC 6120).

Usage: xmpp_client.py HOST PORT DOMAIN

Resolves HOST with the system resolver (A and AAAA queries; the lab points
it at its own DNS server), connects to HOST:PORT, negotiates STARTTLS
(SNI HOST), logs in with SASL ANONYMOUS, sends initial
presence, fetches the roster, sends one message to itself and closes the
stream.  Exits non-zero unless the session reached that point.
"""

import signal
import ssl
import sys

import slixmpp


class LabClient(slixmpp.ClientXMPP):
    def __init__(self, domain):
        # A bare domain as JID makes slixmpp use SASL ANONYMOUS.
        super().__init__(domain, "")
        self.done = False
        self.add_event_handler("session_start", self.on_start)
        self.add_event_handler("failed_auth", self.on_failed)

    async def on_start(self, _event):
        self.send_presence()
        await self.get_roster()
        self.send_message(mto=self.boundjid.full, mbody="ringscope lab",
                          mtype="chat")
        self.done = True
        self.disconnect()

    def on_failed(self, _event):
        self.disconnect()


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    host, port, domain = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    client = LabClient(domain)
    # The lab server uses a throw-away self-signed certificate.
    client.ssl_context.check_hostname = False
    client.ssl_context.verify_mode = ssl.CERT_NONE
    # Given an IP address, slixmpp would look up the empty name instead.
    client.connect(address=(host, port))
    # slixmpp's own process(timeout=) is broken on Python 3.11; a stuck
    # session ends with SIGALRM's default action (exit status 142).
    signal.alarm(15)
    client.process(forever=False)
    if not client.done:
        print("FAIL: XMPP session did not complete", file=sys.stderr)
        sys.exit(1)
    print("xmpp session as", client.boundjid.full)


if __name__ == "__main__":
    main()

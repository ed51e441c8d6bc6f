#!/usr/bin/env python3
"""A real SMTP server for Salon's tests (aiosmtpd).

Accepts every message and writes it, exactly as received, to DIR/NNNNNN.eml (atomically:
temp file + rename), with the envelope recipients in DIR/NNNNNN.rcpt. Recipients whose local
part starts with "reject" get a permanent 550; those starting with "tempfail" get a
temporary 451, so tests can drive Salon's failure handling with a real server.

Usage: smtp_sink.py --port PORT --dir DIR [--host 127.0.0.1]
Prints "ready PORT" on stdout once it accepts connections.
"""

import argparse
import asyncio
import itertools
import os
import signal
import sys

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory):
        self.directory = directory
        self.counter = itertools.count(1)
        os.makedirs(directory, exist_ok=True)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@", 1)[0].lower()
        if local.startswith("reject"):
            return "550 5.1.1 Mailbox unavailable (test sink)"
        if local.startswith("tempfail"):
            return "451 4.3.0 Try again later (test sink)"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        n = next(self.counter)
        base = os.path.join(self.directory, f"{n:06d}")
        data = envelope.original_content or envelope.content
        if isinstance(data, str):
            data = data.encode("utf-8")
        with open(base + ".rcpt.tmp", "w") as f:
            f.write("\n".join(envelope.rcpt_tos) + "\n")
        os.replace(base + ".rcpt.tmp", base + ".rcpt")
        with open(base + ".eml.tmp", "wb") as f:
            f.write(data)
        os.replace(base + ".eml.tmp", base + ".eml")
        return "250 Message accepted for delivery"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    args = parser.parse_args()

    controller = Controller(Sink(args.dir), hostname=args.host, port=args.port,
                            decode_data=False, enable_SMTPUTF8=True)
    controller.start()
    print(f"ready {args.port}", flush=True)

    stop = asyncio.Event()
    loop = asyncio.new_event_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        loop.run_until_complete(stop.wait())
    finally:
        controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

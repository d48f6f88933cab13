"""A local SMTP server for benchmarks: speaks enough SMTP for any client (EHLO/HELO, MAIL,
RCPT, DATA up to the lone dot, RSET, NOOP, QUIT), accepts every message and appends one line
per recipient ("<rcpt> <Message-ID>") to a file. `python -m bench.smtp_sink PORT FILE`.

The test suite uses aiosmtpd; it spends about a millisecond of CPU per message, which on two
shared cores would measure the fake rather than our workers, so the benchmark uses this
hand-written asyncio one (like the fake Twilio)."""

from __future__ import annotations

import asyncio
import os
import re
import sys

MESSAGE_ID = re.compile(rb"^Message-ID:\s*(\S+)", re.IGNORECASE | re.MULTILINE)


class _Session(asyncio.Protocol):
    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buffer = b""
        self.in_data = False
        self.recipients: list[bytes] = []

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self.transport.write(b"220 bench-sink ESMTP\r\n")  # type: ignore[attr-defined]

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            if self.in_data:
                end = self.buffer.find(b"\r\n.\r\n")
                if end < 0:
                    return
                content, self.buffer = self.buffer[: end + 2], self.buffer[end + 5 :]
                self.in_data = False
                found = MESSAGE_ID.search(content)
                message_id = found.group(1) if found else b"-"
                os.write(self.fd, b"".join(r + b" " + message_id + b"\n" for r in self.recipients))
                self.recipients = []
                self.transport.write(b"250 OK queued\r\n")  # type: ignore[attr-defined]
                continue
            end = self.buffer.find(b"\r\n")
            if end < 0:
                return
            line, self.buffer = self.buffer[:end], self.buffer[end + 2 :]
            self.command(line)

    def command(self, line: bytes) -> None:
        verb = line[:4].upper()
        write = self.transport.write  # type: ignore[attr-defined]
        if verb == b"EHLO":
            write(b"250-bench-sink\r\n250-8BITMIME\r\n250 SIZE 26214400\r\n")
        elif verb in (b"HELO", b"MAIL", b"RSET", b"NOOP"):
            if verb == b"RSET":
                self.recipients = []
            write(b"250 OK\r\n")
        elif verb == b"RCPT":
            address = line.split(b":", 1)[-1].strip().split(b" ")[0].strip(b"<>")
            self.recipients.append(address)
            write(b"250 OK\r\n")
        elif verb == b"DATA":
            self.in_data = True
            write(b"354 End data with <CR><LF>.<CR><LF>\r\n")
        elif verb == b"QUIT":
            write(b"221 Bye\r\n")
            self.transport.close()
        else:
            write(b"502 Command not implemented\r\n")


async def serve(port: int, path: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: _Session(fd), "127.0.0.1", port)
    print(f"SMTP sink on 127.0.0.1:{port}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(serve(int(sys.argv[1]), sys.argv[2]))

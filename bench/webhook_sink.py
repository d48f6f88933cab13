"""Connected services' webhook endpoints for the benchmark: one asyncio HTTP/1.1 server,
path /<service id>. It checks every signature, fails the flaky service's requests half the
time (503), and appends each accepted event id to a file.
`python -m bench.webhook_sink PORT SECRETS.json FLAKY_ID LOG`."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import os
import random
import sys
import time

rng = random.Random(11)


def _ok(secret: str, header: str, body: bytes) -> bool:
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (ValueError, KeyError):
        return False
    if abs(time.time() - timestamp) > 300:
        return False
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return hmac.compare_digest(mac.hexdigest(), parts.get("v1", ""))


class Session(asyncio.Protocol):
    def __init__(self, secrets: dict[str, str], flaky: str, fd: int) -> None:
        self.secrets, self.flaky, self.fd = secrets, flaky, fd
        self.buffer = b""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.buffer[:end].decode("latin-1").split("\r\n")
            headers = {}
            for line in head[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            length = int(headers.get("content-length", "0"))
            if len(self.buffer) < end + 4 + length:
                return
            body = self.buffer[end + 4 : end + 4 + length]
            self.buffer = self.buffer[end + 4 + length :]
            service = head[0].split(" ")[1].strip("/")
            if not _ok(
                self.secrets.get(service, ""), headers.get("x-cityhall-signature", ""), body
            ):
                status = b"401 Unauthorized"
            elif service == self.flaky and rng.random() < 0.5:
                status = b"503 Service Unavailable"
            else:
                os.write(self.fd, headers.get("x-cityhall-event-id", "-").encode() + b"\n")
                status = b"204 No Content"
            self.transport.write(b"HTTP/1.1 " + status + b"\r\nContent-Length: 0\r\n\r\n")  # type: ignore[attr-defined]


async def serve(port: int, secrets: dict[str, str], flaky: str, path: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: Session(secrets, flaky, fd), "127.0.0.1", port)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    port, secrets_file, flaky, log = sys.argv[1:5]
    with open(secrets_file) as handle:
        asyncio.run(serve(int(port), json.load(handle), flaky, log))

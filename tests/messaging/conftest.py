"""Fixtures for the messaging tests: a fake provider on 127.0.0.1 (a real HTTP or SMTP server in a
thread, answering what the test scripts), the cast's candidates with consent, English messages."""

import json
import socketserver
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english(settings):
    # Requests without an Accept-Language header get LANGUAGE_CODE; the test code and the jobs too.
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@dataclass
class FakeHttp:
    """Answers each POST with the next scripted (status, json) reply; records every request."""

    replies: list[tuple[int, dict]] = field(default_factory=list)
    requests: list[dict] = field(default_factory=list)
    url: str = ""

    def answer(self, *replies: tuple[int, dict]) -> None:
        self.replies.extend(replies)


@pytest.fixture
def fake_http():
    fake = FakeHttp()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            fake.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
            status, reply = fake.replies.pop(0) if fake.replies else (200, {})
            data = json.dumps(reply).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield fake
    server.shutdown()
    server.server_close()


@dataclass
class FakeSmtp:
    host: str = "127.0.0.1"
    port: int = 0
    mails: list[dict] = field(default_factory=list)
    refuse_with: str = ""  # e.g. "421 try later" answered to MAIL FROM


@pytest.fixture
def fake_smtp():
    """A minimal SMTP server (EHLO, MAIL, RCPT, DATA, QUIT) that keeps what it receives."""
    fake = FakeSmtp()

    class Handler(socketserver.StreamRequestHandler):
        def reply(self, line: str):
            self.wfile.write(line.encode() + b"\r\n")

        def handle(self):
            self.reply("220 fake smtp")
            mail = {"from": "", "to": [], "data": ""}
            while line := self.rfile.readline().decode().rstrip("\r\n"):
                verb = line.split(" ")[0].upper()
                if verb in ("EHLO", "HELO"):
                    self.reply("250 fake")
                elif verb == "MAIL":
                    if fake.refuse_with:
                        self.reply(fake.refuse_with)
                        continue
                    mail["from"] = line[10:]
                    self.reply("250 ok")
                elif verb == "RCPT":
                    mail["to"].append(line[8:])
                    self.reply("250 ok")
                elif verb == "DATA":
                    self.reply("354 go on")
                    lines = []
                    while (data := self.rfile.readline().decode().rstrip("\r\n")) != ".":
                        lines.append(data)
                    mail["data"] = "\n".join(lines)
                    fake.mails.append(dict(mail))
                    self.reply("250 queued")
                elif verb == "QUIT":
                    self.reply("221 bye")
                    return
                else:
                    self.reply("250 ok")

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.port = server.server_address[1]
    yield fake
    server.shutdown()
    server.server_close()

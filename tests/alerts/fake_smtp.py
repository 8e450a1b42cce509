"""Tiny SMTP servers on a local port for tests: one that refuses chosen recipients and keeps
what it accepts, and one that accepts connections and never answers."""

import socketserver
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message


@dataclass
class Mailbox:
    refuse: set[str] = field(default_factory=set)
    received: list[Message] = field(default_factory=list)
    # Called with the recipient at each RCPT TO, before answering (to look at the database
    # while the client waits for the server).
    on_recipient: object = None


class _SMTPHandler(socketserver.StreamRequestHandler):
    def handle(self):
        box: Mailbox = self.server.mailbox
        self._reply("220 fake.example ESMTP")
        recipients = []
        while line := self.rfile.readline():
            command = line.decode().strip()
            verb = command.split(" ", 1)[0].upper()
            if verb in {"EHLO", "HELO"}:
                self._reply("250 fake.example")
            elif verb == "MAIL":
                recipients = []
                self._reply("250 OK")
            elif verb == "RCPT":
                address = command.split(":", 1)[1].strip().strip("<>")
                if box.on_recipient:
                    box.on_recipient(address)
                if address in box.refuse:
                    self._reply("550 5.1.1 No such user here")
                else:
                    recipients.append(address)
                    self._reply("250 OK")
            elif verb == "DATA":
                self._reply("354 End data with <CR><LF>.<CR><LF>")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk
                box.received.append(message_from_bytes(data))
                self._reply("250 OK: queued")
            elif verb == "RSET":
                recipients = []
                self._reply("250 OK")
            elif verb == "QUIT":
                self._reply("221 Bye")
                return
            else:
                self._reply("502 Command not implemented")

    def _reply(self, text: str) -> None:
        self.wfile.write(f"{text}\r\n".encode())
        self.wfile.flush()


class _SilentHandler(socketserver.BaseRequestHandler):
    """Accepts the connection, then says nothing until the client gives up or the test ends."""

    def handle(self):
        self.request.settimeout(0.2)
        while not self.server.stopping.is_set():
            try:
                if not self.request.recv(1024):
                    return
            except TimeoutError:
                continue
            except OSError:
                return


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@contextmanager
def _serving(handler, settings, **attributes):
    server = _Server(("127.0.0.1", 0), handler)
    server.stopping = threading.Event()
    for name, value in attributes.items():
        setattr(server, name, value)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.server_address
    settings.EMAIL_USE_TLS = False
    try:
        yield server
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()


@contextmanager
def smtp_server(settings, *, refuse=()):
    """A mail server on a local port that refuses ``refuse`` (550) and keeps the rest."""
    mailbox = Mailbox(refuse=set(refuse))
    with _serving(_SMTPHandler, settings, mailbox=mailbox):
        yield mailbox


@contextmanager
def silent_smtp_server(settings):
    """A mail server on a local port that accepts connections and never answers."""
    with _serving(_SilentHandler, settings) as server:
        yield server

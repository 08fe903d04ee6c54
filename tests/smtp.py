"""A real SMTP server on loopback (aiosmtpd) that records what it is sent and can refuse on cue."""

from __future__ import annotations

import socket
import threading
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller


class Recorder:
    def __init__(self):
        self.messages = []
        self.refuse = 0  # refuse this many messages with a temporary error, then accept
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.refuse:
                self.refuse -= 1
                return "451 4.3.0 Mailbox busy, try again later"
            message = message_from_bytes(envelope.content, policy=policy.default)
            subject = " ".join(str(message["Subject"]).split())  # unfolded
            self.messages.append({"to": list(envelope.rcpt_tos), "subject": subject,
                                  "from": message["From"], "body": message.get_content()})
        return "250 OK"

    def to(self, address: str) -> list[dict]:
        return [m for m in self.messages if address in m["to"]]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=_free_port())
    controller.start()
    recorder.port = controller.port
    yield recorder
    controller.stop()


def use_mail_server(app, server: Recorder, **extra) -> None:
    """Point the app at the loopback server; jobs run inline and retries do not wait."""
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=server.port, SMTP_SECURITY="none",
                      MAIL_FROM="engage@trust.example.nhs.uk", MAIL_RETRY_SECONDS=0, JOBS_INLINE=True,
                      **extra)

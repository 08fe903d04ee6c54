"""Handing one message to the mail server with the standard library's SMTP client."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid


class MailRefused(Exception):
    """The server could not be reached or did not accept the message; worth trying again."""


def send(config, recipient: str, subject: str, body: str) -> None:
    """Send a plain-text message with the SMTP settings in ``config``; raises MailRefused."""
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = recipient
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain=config["MAIL_FROM"].rpartition("@")[2] or None)
    message.set_content(body)
    host, port, security = config["SMTP_HOST"], config["SMTP_PORT"], config["SMTP_SECURITY"]
    timeout = config["SMTP_TIMEOUT_SECONDS"]
    try:
        if security == "ssl":
            client = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(host, port, timeout=timeout)
        with client:
            if security == "starttls":
                client.starttls(context=ssl.create_default_context())
            if config.get("SMTP_USER"):
                client.login(config["SMTP_USER"], config["SMTP_PASSWORD"])
            client.send_message(message)
    except (smtplib.SMTPException, OSError) as exc:
        raise MailRefused(_describe(exc)) from exc


def _describe(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        detail = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) \
            else str(exc.smtp_error)
        return f"The mail server answered {exc.smtp_code}: {detail}"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "The mail server refused the address: " + "; ".join(
            f"{code} {msg.decode(errors='replace')}" for code, msg in exc.recipients.values())
    return f"Could not reach the mail server: {type(exc).__name__}: {exc}"

"""Walk the demo's consent page and first question through nginx, with one cookie jar, and say which
app server answered each request (nginx's X-Topology-Upstream header, set in the topology's own
nginx configuration; the app is unchanged).

    .venv/bin/python scripts/topology_check.py [--state /tmp/engage-topology]

Exits 1 if a step fails, or if no two consecutive requests were answered by different app servers
(then the check proved nothing about journeys hopping between servers).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import re
import ssl
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

SLUG = "technology-in-the-nhs"
FIRST_PAGE = "about-you"
FIRST_ANSWERS = {"q-role": "patient", "q-age-band": "45-to-64"}
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Each redirect is its own request, so each one's app server is seen."""

    def redirect_request(self, *args, **kwargs):
        return None


class Person:
    """One browser: one cookie jar, trusting the topology's self-signed certificate."""

    def __init__(self, base: str, servers: dict[str, str], cafile: Path):
        self.base, self.servers = base, servers
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=ssl.create_default_context(cafile=str(cafile))),
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
            _NoRedirect())
        self.answered_by: list[str] = []
        self.forms_across: list[str] = []  # forms rendered by one server and accepted by the other

    def request(self, step: str, path: str, form: dict | None = None, referer: str | None = None):
        url = urllib.parse.urljoin(self.base, path)
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(url, data=data)  # noqa: S310 - https on loopback only
        if referer:
            # Over HTTPS the CSRF check wants the page the form came from, as a browser sends it.
            request.add_header("Referer", referer)
        try:
            response = self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as exc:  # a redirect (not followed) or an error page
            response = exc
        with response:
            body = response.read().decode("utf-8", "replace")
            upstream = response.headers.get("X-Topology-Upstream", "?")
            server = self.servers.get(upstream, upstream)
            if form is not None and self.answered_by and self.answered_by[-1] != server:
                self.forms_across.append(f"{step}: form from {self.answered_by[-1]}, sent to {server}")
            self.answered_by.append(server)
            location = response.headers.get("Location", "")
            print(f"{step:<28} {'POST' if form is not None else 'GET':<4} {path:<44} "
                  f"{response.status} {server} ({upstream})" + (f" -> {location}" if location else ""))
            return response.status, body, location


def token(html: str) -> str:
    match = TOKEN.search(html)
    if not match:
        raise SystemExit("FAILED: no CSRF token on the page")
    return match.group(1) or match.group(2)


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise SystemExit(f"FAILED: {message}")


def walk(person: Person) -> None:
    status, _, _ = person.request("health", "/health")
    expect(status == 200, f"/health answered {status}")
    status, _, _ = person.request("start page", f"/c/{SLUG}/")
    expect(status == 200, f"the start page answered {status}")
    consent = f"/c/{SLUG}/consent"
    status, html, _ = person.request("consent page", consent)
    expect(status == 200, f"the consent page answered {status}")
    status, _, location = person.request(
        "consent (form)", consent, {"agree": "y", "csrf_token": token(html)},
        referer=urllib.parse.urljoin(person.base, consent))
    expect(status in (302, 303) and f"/p/{FIRST_PAGE}" in location,
           f"consenting answered {status}, to {location!r} (a 400 here means the servers do not "
           "share SECRET_KEY or see different Host names)")
    question = urllib.parse.urlsplit(location).path
    status, html, _ = person.request("first question page", question)
    expect(status == 200 and "q-role" in html, f"the first question answered {status}")
    status, _, location = person.request(
        "first question (answer)", question, {**FIRST_ANSWERS, "csrf_token": token(html)},
        referer=urllib.parse.urljoin(person.base, question))
    expect(status in (302, 303) and "/p/" in location and FIRST_PAGE not in location,
           f"answering the first question answered {status}, to {location!r}")
    status, html, _ = person.request("next question page", urllib.parse.urlsplit(location).path)
    expect(status == 200, f"the next question answered {status}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--state", type=Path, default=Path("/tmp/engage-topology"),  # noqa: S108 - as topology.sh
                        help="the topology's state directory (TOPOLOGY_DIR)")
    args = parser.parse_args()
    ports = dict(line.split("=", 1) for line in (args.state / "ports").read_text().split())
    servers = {f"127.0.0.1:{ports['APP1_PORT']}": "app1", f"127.0.0.1:{ports['APP2_PORT']}": "app2"}
    person = Person(f"https://127.0.0.1:{ports['NGINX_PORT']}/", servers,
                    args.state / "nginx" / "cert.pem")
    walk(person)
    hops = sum(a != b for a, b in zip(person.answered_by, person.answered_by[1:], strict=False))
    counts = ", ".join(f"{name} {person.answered_by.count(name)}"
                       for name in sorted(set(person.answered_by)))
    print(f"Journey succeeded: {len(person.answered_by)} requests with one cookie jar ({counts}); "
          f"{hops} consecutive requests changed app server.")
    for line in person.forms_across:
        print(f"  {line}")
    if hops == 0:
        print("FAILED: every request went to one app server, so hopping was not shown.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Job-end callbacks: a POST of the job's JSON to a URL the client gave.

A callback makes the server send a request where a client tells it to, which is how
server-side request forgery starts (reaching the cloud metadata endpoint, admin ports
on localhost, the internal network). So callbacks go only to hosts the operator lists
in ``BUDGETPACK_CALLBACK_HOSTS`` (``host`` or ``host:port``, comma-separated); with
the list empty, as by default, callbacks are refused. Redirects are not followed.

The list is the whole defence, by decision: the service does not second-guess it by
address (an operator may well want callbacks on ``localhost`` or the internal
network). So list only the hosts meant to receive callbacks, prefer ``host:port``
(a bare ``host`` allows every port on it, including admin ports on ``127.0.0.1``),
and never list a cloud metadata address (``169.254.169.254``). Names are resolved
when the callback is sent, so a listed name must be one whose DNS the operator trusts.
"""

from __future__ import annotations

import http.client
import json
import logging
import threading
import time
from urllib.parse import urlsplit

log = logging.getLogger(__name__)

ATTEMPTS = (0, 2, 10)  # seconds to wait before each try
MAX_URL_LENGTH = 2000


def check_callback(url: str, allowed: frozenset[str]) -> str | None:
    """None if ``url`` may be called back, else the reason in plain words."""
    if not allowed:
        return "This server does not send callbacks; poll the job's URL instead."
    if len(url) > MAX_URL_LENGTH:
        return f"The callback URL is longer than {MAX_URL_LENGTH} characters."
    if any(c <= " " or c == "\x7f" for c in url):
        # Line breaks would end the request line and let the client write its own headers.
        return "The callback URL must not contain spaces or control characters."
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "The callback is not a valid URL."
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "The callback must be an http or https URL."
    if parts.username or parts.password:
        return "The callback URL must not contain credentials."
    host = parts.hostname.lower()
    if host not in allowed and (port is None or f"{host}:{port}" not in allowed):
        return f"Callbacks may go only to these hosts: {', '.join(sorted(allowed))}."
    return None


def notify(url: str, payload: dict) -> None:
    """POST ``payload`` to ``url`` in the background, retrying a few times on failure."""
    threading.Thread(target=deliver, args=(url, payload), name="budgetpack-callback", daemon=True).start()


def deliver(url: str, payload: dict) -> None:
    """POST ``payload`` to ``url`` now, retrying a few times; for a process about to exit (an RQ work horse)."""
    parts = urlsplit(url)
    conn_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    for wait in ATTEMPTS:
        time.sleep(wait)
        conn = conn_class(parts.hostname, parts.port, timeout=10)
        try:
            conn.request("POST", path, body, {"Content-Type": "application/json", "User-Agent": "budgetpack"})
            status = conn.getresponse().status
            if status < 300:
                return
            log.warning("callback for job %s answered %s", payload.get("id"), status)
        except OSError as e:
            log.warning("callback for job %s failed: %s", payload.get("id"), e)
        finally:
            conn.close()

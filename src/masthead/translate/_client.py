"""Calling a deep-translator client like a careful batch job: a timeout on every request, retries with
capped exponential backoff on rate limits and server errors (honouring ``Retry-After``), and errors
that say what the server answered.

deep-translator's clients call ``requests.get``/``requests.post`` themselves, without a timeout, and
most of them drop the response (its status and ``Retry-After``) when they raise. While a run lasts,
:func:`observed` puts a stand-in for ``requests`` into the client's module that adds the timeout and
remembers the last response, so that the real client and the real HTTP path are used unchanged.
"""

from __future__ import annotations

import email.utils
import importlib
import json
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests

from ._errors import TranslationError
from ._providers import Client, Provider

logger = logging.getLogger("masthead.translate")


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 6
    """Tries per request before the run stops (progress is saved)."""
    base_delay: float = 1.0
    """Seconds before the first retry; each further retry waits twice as long."""
    max_delay: float = 60.0
    """The longest wait between two tries, ``Retry-After`` included."""
    timeout: float = 30.0
    """Seconds to wait for a server's answer."""


class _Recorder:
    """Stands in for the ``requests`` module inside one deep-translator module."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.last: requests.Response | None = None
        self.sent = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(requests, name)

    def get(self, url: str, **kwargs: Any) -> requests.Response:
        return self._send("GET", url, kwargs)

    def post(self, url: str, **kwargs: Any) -> requests.Response:
        return self._send("POST", url, kwargs)

    def _send(self, method: str, url: str, kwargs: dict[str, Any]) -> requests.Response:
        kwargs.setdefault("timeout", self.timeout)
        self.sent += 1
        response = requests.request(method, url, **kwargs)
        self.last = response
        return response


@contextmanager
def observed(spec: Provider, timeout: float) -> Iterator[_Recorder]:
    module = importlib.import_module(f"deep_translator.{spec.module}")
    recorder = _Recorder(timeout)
    saved = getattr(module, "requests")  # noqa: B009 (the attribute is swapped below)
    setattr(module, "requests", recorder)  # noqa: B010
    try:
        yield recorder
    finally:
        setattr(module, "requests", saved)  # noqa: B010


def server_says(response: requests.Response | None) -> str:
    """The status and the server's own words, short, for an error message."""
    if response is None:
        return "no answer"
    detail = ""
    try:
        data = response.json()
        if isinstance(data, dict):
            found = data.get("error") or data.get("message") or data.get("error_msg") or ""
            detail = json.dumps(found, ensure_ascii=False) if not isinstance(found, str) else found
    except ValueError:
        detail = " ".join(response.text.split())[:160]
    reason = response.reason or ""
    return f"HTTP {response.status_code} {reason}".strip() + (f": {detail[:200]}" if detail else "")


def _retry_after(response: requests.Response | None) -> float | None:
    value = response.headers.get("Retry-After") if response is not None else None
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        when = email.utils.parsedate_to_datetime(value)
        return max(0.0, when.timestamp() - time.time()) if when else None


class MessageFailed(Exception):
    """This text got no usable answer, but the provider works: leave the message for a later run."""


def call(
    client: Client,
    text: str,
    recorder: _Recorder,
    spec: Provider,
    policy: RetryPolicy,
    sleep: Callable[[float], None],
) -> str:
    """Translate one text with ``client``, retrying what is worth retrying."""
    last_problem = ""
    for attempt in range(1, policy.attempts + 1):
        recorder.last = None
        try:
            result = client.translate(text)
        except (requests.Timeout, requests.ConnectionError, ConnectionError) as exc:
            response, last_problem = None, f"cannot reach the server ({type(exc).__name__})"
        except Exception as exc:  # deep-translator raises many unrelated types
            response = recorder.last
            if response is None or 200 <= response.status_code < 300:
                raise MessageFailed(f"unexpected answer: {type(exc).__name__}: {exc}"[:300]) from None
            status = response.status_code
            if status in (401, 403):
                raise TranslationError(
                    f"{spec.title} refused the key: {server_says(response)}",
                    hint="check the key in the environment variable named by [translation] api_key_env",
                ) from None
            if status != 429 and status < 500:
                raise TranslationError(
                    f"{spec.title} refused the request: {server_says(response)}",
                    hint="what was translated so far is saved",
                ) from None
            last_problem = server_says(response)
        else:
            if recorder.last is not None and not 200 <= recorder.last.status_code < 300:
                response, last_problem = recorder.last, server_says(recorder.last)
            elif isinstance(result, str) and result.strip():
                return result
            else:
                raise MessageFailed(f"no translation in the answer ({result!r:.60})")
        if attempt == policy.attempts:
            break
        delay = min(policy.max_delay, policy.base_delay * 2 ** (attempt - 1))
        asked = _retry_after(response)
        if asked is not None:
            delay = min(policy.max_delay, asked)
        logger.info("%s: %s; trying again in %.1f s (%d of %d)", spec.name, last_problem, delay,
                    attempt + 1, policy.attempts)  # fmt: skip
        sleep(delay)
    raise TranslationError(
        f"{spec.title} failed {policy.attempts} times in a row: {last_problem}",
        hint="what was translated so far is saved; run the same command again later to continue",
    )


def probe(spec: Provider, client: Client, timeout: float) -> None:
    """Make sure the provider's server answers at all before any work starts."""
    base = str(getattr(client, "_base_url", "") or "")
    if not base:
        return
    parts = urlsplit(base)
    url = base.rstrip("/") + "/languages" if spec.name == "libre" else f"{parts.scheme}://{parts.netloc}/"
    try:
        response = requests.get(url, timeout=min(timeout, 10.0))
    except requests.RequestException as exc:
        raise TranslationError(
            f"cannot reach {spec.title} at {parts.scheme}://{parts.netloc}: {type(exc).__name__}",
            hint="check the network, or [translation] base_url for a self-hosted server",
        ) from None
    if spec.name != "libre":
        return
    target = str(getattr(client, "target", ""))
    try:
        languages = response.json()
        codes = {str(entry.get("code")) for entry in languages}
    except (ValueError, AttributeError, TypeError):
        raise TranslationError(
            f"{url} does not answer like a LibreTranslate server ({server_says(response)})",
            hint="[translation] base_url must be the server's address, such as http://localhost:5000/",
        ) from None
    if target and target not in codes:
        raise TranslationError(
            f"the LibreTranslate server at {base} does not offer {target!r}",
            hint=f"it offers {', '.join(sorted(codes))}; install the language model on the server",
        )

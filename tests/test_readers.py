"""A reader's own steps in the store: sign-up, confirmation, preferences, unsubscribe, and the tokens;
each step on SQLite and on PostgreSQL."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import masthead
from masthead.delivery import (
    DeliveryError,
    Keyring,
    Origin,
    add_subscriber,
    change_preferences,
    confirm_signup,
    consents,
    keyring_from_environment,
    list_subscribers,
    make_confirm_token,
    make_unsubscribe_token,
    open_confirm_token,
    open_unsubscribe_token,
    remove_subscriber,
    request_signup,
    unsubscribe_reader,
)
from masthead.delivery.readers import SIGNUP_FORM_WINDOW, SIGNUPS_PER_ADDRESS, allow_signup_form, seal, unseal
from masthead.delivery.store import open_store
from masthead.delivery.store.sqlite import MIGRATIONS

from .conftest import store_rows

pytestmark = pytest.mark.usefixtures("backend")  # each test on SQLite and on PostgreSQL

KEEP = timedelta(days=3)
ASKED = Origin("198.51.100.7", "Mozilla/5.0 (sign-up form)")
CLICKED = Origin("203.0.113.9", "Mozilla/5.0 (confirmation link)")


def statuses(config: masthead.Config) -> dict[str, str]:
    return {s.address: s.status for s in list_subscribers(config)}


def test_a_sign_up_becomes_a_subscriber_only_when_confirmed(workspace: Path) -> None:
    config = masthead.load_config(workspace)
    asked = request_signup(config, "Ana@Example.org", "Ana Lima", "pt-br", ASKED, keep=KEEP)
    assert asked.reason == "new" and asked.signup is not None
    assert statuses(config) == {}  # pending: not a subscriber, never sent an issue

    subscriber = confirm_signup(config, asked.signup.id, CLICKED)

    assert subscriber is not None
    assert (subscriber.address, subscriber.name, subscriber.language, subscriber.status) == (
        "Ana@example.org", "Ana Lima", "pt-BR", "active",
    )  # fmt: skip
    (consent,) = consents(config, "ana@example.org")
    assert (consent.action, consent.ip, consent.user_agent) == ("subscribed", CLICKED.ip, CLICKED.user_agent)
    assert (consent.requested_ip, consent.requested_user_agent) == (ASKED.ip, ASKED.user_agent)
    assert consent.requested is not None and consent.requested <= consent.at
    # A second click changes nothing and records nothing.
    assert confirm_signup(config, asked.signup.id, CLICKED) == subscriber
    assert len(consents(config, "ana@example.org")) == 1


def test_unsubscribed_readers_need_a_new_confirmation_and_bounced_ones_get_no_email(workspace: Path) -> None:
    config = masthead.load_config(workspace)
    add_subscriber(config, "gone@example.org", "Gone", "fr")
    add_subscriber(config, "bounced@example.org", "Bounced", "fr")
    remove_subscriber(config, "gone@example.org")
    with open_store(config) as store:
        store.set_status("bounced@example.org", "bounced")

    returning = request_signup(config, "gone@example.org", None, "fr", ASKED, keep=KEEP)
    bounced = request_signup(config, "bounced@example.org", None, "fr", ASKED, keep=KEEP)

    assert returning.reason == "returning" and returning.signup is not None
    assert (bounced.reason, bounced.signup) == ("bounced", None)
    assert statuses(config)["gone@example.org"] == "unsubscribed"  # not before confirming
    confirmed = confirm_signup(config, returning.signup.id, CLICKED)
    assert confirmed is not None and (confirmed.status, confirmed.name) == ("active", "Gone")
    assert statuses(config)["bounced@example.org"] == "bounced"


def test_one_address_gets_a_few_confirmation_emails_a_day_at_most(workspace: Path) -> None:
    config = masthead.load_config(workspace)
    results = [
        request_signup(config, "victim@example.org", None, "en", Origin(f"192.0.2.{n}"), keep=KEEP)
        for n in range(SIGNUPS_PER_ADDRESS + 2)
    ]
    assert [r.reason for r in results] == ["new"] * SIGNUPS_PER_ADDRESS + ["throttled"] * 2
    assert all(r.signup is None for r in results[SIGNUPS_PER_ADDRESS:])


def test_unconfirmed_sign_ups_are_deleted_once_their_link_expired(workspace: Path) -> None:
    config = masthead.load_config(workspace)
    old = request_signup(
        config, "late@example.org", None, "en", ASKED, keep=KEEP, now=datetime.now(UTC) - timedelta(days=4)
    )
    request_signup(config, "other@example.org", None, "en", ASKED, keep=KEEP)
    assert old.signup is not None
    assert confirm_signup(config, old.signup.id, CLICKED) is None
    assert statuses(config) == {}


def test_preferences_and_unsubscribing_are_recorded(workspace: Path) -> None:
    config = masthead.load_config(workspace)
    add_subscriber(config, "li@example.org", "Li", "en")
    (subscriber,) = list_subscribers(config)

    changed = change_preferences(config, subscriber.public_id, "Li Wei", "zh-hant", CLICKED)
    gone = unsubscribe_reader(config, subscriber.public_id, ASKED, "one-click")
    again = unsubscribe_reader(config, subscriber.public_id, ASKED, "one-click")

    assert changed is not None and (changed.name, changed.language) == ("Li Wei", "zh-Hant")
    assert gone is not None and again is not None and gone.status == again.status == "unsubscribed"
    assert [(c.action, c.how, c.ip) for c in consents(config, "li@example.org")] == [
        ("changed", "preferences page", CLICKED.ip),
        ("unsubscribed", "one-click", ASKED.ip),
    ]
    with pytest.raises(DeliveryError, match="unknown language"):
        change_preferences(config, subscriber.public_id, None, "xx-Nowhere", CLICKED)


def test_forgetting_an_address_erases_its_sign_ups_and_consents(workspace: Path) -> None:
    config = masthead.load_config(workspace)
    asked = request_signup(config, "erase@example.org", None, "en", ASKED, keep=KEEP)
    assert asked.signup is not None
    confirm_signup(config, asked.signup.id, CLICKED)
    request_signup(config, "erase@example.org", "Again", "en", ASKED, keep=KEEP)

    remove_subscriber(config, "erase@example.org", forget=True)

    assert [len(store_rows(config, name)) for name in ("signups", "consents", "subscribers")] == [0, 0, 0]


def test_the_limit_on_confirmation_emails_knows_an_address_in_any_letter_case(workspace: Path) -> None:
    config = masthead.load_config(workspace)
    spellings = ["Üser@example.org", "üser@example.org", "ÜSER@EXAMPLE.ORG", "üSeR@Example.org"]
    results = [request_signup(config, address, None, "en", ASKED, keep=KEEP) for address in spellings]
    assert [r.reason for r in results] == ["new"] * SIGNUPS_PER_ADDRESS + ["throttled"]
    assert request_signup(config, "other@example.org", None, "en", ASKED, keep=KEEP).reason == "new"
    # Forgetting the address forgets its sign-ups in every spelling.
    assert results[0].signup is not None
    confirm_signup(config, results[0].signup.id, CLICKED)
    remove_subscriber(config, "Üser@example.org", forget=True)
    assert [row["address"] for row in store_rows(config, "signups")] == ["other@example.org"]


def test_sign_up_forms_from_one_network_address_are_counted_in_the_store(workspace: Path) -> None:
    config = masthead.load_config(workspace)
    start = datetime(2030, 5, 1, 12, 0, tzinfo=UTC)
    limit = config.web.signups_per_hour
    waits = [
        allow_signup_form(config, "198.51.100.1", now=start + timedelta(minutes=n)) for n in range(limit + 1)
    ]
    assert waits[:limit] == [None] * limit
    assert waits[limit] == (SIGNUP_FORM_WINDOW - timedelta(minutes=limit)).total_seconds()
    assert allow_signup_form(config, "198.51.100.2", now=start + timedelta(minutes=9)) is None
    # An hour after the first, one more is taken; the refused one was not counted.
    assert allow_signup_form(config, "198.51.100.1", now=start + SIGNUP_FORM_WINDOW) is None
    assert allow_signup_form(config, "198.51.100.1", now=start + SIGNUP_FORM_WINDOW) is not None


@pytest.mark.sqlite_only  # the SQLite file's own migrations
def test_the_migration_keeps_subscribers_on_file(workspace: Path) -> None:
    path = workspace / "subscribers.sqlite3"
    conn = sqlite3.connect(path)
    for step in MIGRATIONS[:2]:
        conn.executescript(step)
    conn.execute(
        "INSERT INTO subscribers (address, language, created, updated, public_id)"
        " VALUES ('old@example.org', 'en', 'then', 'then', 'abcdef0123456789')"
    )
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    config = masthead.load_config(workspace)

    assert unsubscribe_reader(config, "abcdef0123456789", ASKED, "one-click") is not None
    assert statuses(config) == {"old@example.org": "unsubscribed"}


@pytest.mark.sqlite_only  # not about the store
def test_confirmation_tokens_expire_and_cannot_be_forged_or_altered() -> None:
    keyring = Keyring("a-test-secret-that-is-long-enough")
    expires = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
    token = make_confirm_token("0123456789abcdef01234567", expires, keyring.current)

    request = open_confirm_token(token, keyring)

    assert request is not None and request.signup == "0123456789abcdef01234567"
    assert request.expires == expires
    assert not request.expired(expires - timedelta(seconds=1)) and request.expired(expires)
    body, signature = token.split(".")
    later = make_confirm_token("0123456789abcdef01234567", expires + timedelta(days=9), "x" * 32)
    for forged in (
        later,  # another secret
        later.split(".")[0] + "." + signature,  # a later expiry with the old signature
        body + "." + signature[:-2] + ("AA" if signature[-2:] != "AA" else "BB"),
        body + "=." + signature,  # a non-canonical spelling
        token + ".x",
        "",
    ):
        assert open_confirm_token(forged, keyring) is None, forged
    # A token made for one purpose never passes for another.
    assert unseal("csrf-v1", token, keyring, 2) is None
    other = seal("csrf-v1", ("0123456789abcdef01234567", "1"), keyring.current)
    assert open_confirm_token(other, keyring) is None


@pytest.mark.sqlite_only  # not about the store
def test_links_signed_with_the_previous_secret_keep_working_after_a_rotation(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new = "the-old-secret-before-rotation", "the-new-secret-after-rotation"
    link = make_unsubscribe_token("abcdef0123456789", "spring", old)
    monkeypatch.setenv("MASTHEAD_SECRET", new)
    config = masthead.load_config(workspace)
    assert open_unsubscribe_token(link, keyring_from_environment(config)) is None

    monkeypatch.setenv("MASTHEAD_SECRET_PREVIOUS", old)
    keyring = keyring_from_environment(config)

    assert keyring.current == new
    request = open_unsubscribe_token(link, keyring)
    assert request is not None and request.public_id == "abcdef0123456789"
    monkeypatch.setenv("MASTHEAD_SECRET_PREVIOUS", f"{old} short")
    with pytest.raises(DeliveryError, match="MASTHEAD_SECRET_PREVIOUS holds a secret shorter"):
        keyring_from_environment(config)

"""Readers: sign-ups confirmed by mail, consents, preferences, the signed tokens in their links, and the
edition each reader's language gets."""

from ._languages import Choice, choose_edition
from ._signed import (
    ConfirmRequest,
    Keyring,
    UnsubscribeRequest,
    keyring_from_environment,
    make_confirm_token,
    make_unsubscribe_token,
    open_confirm_token,
    open_unsubscribe_token,
    seal,
    secret_from_environment,
    unseal,
    verify_unsubscribe_token,
)
from ._signups import (
    SIGNUPS_PER_ADDRESS,
    SignupRequest,
    change_preferences,
    confirm_signup,
    consents,
    find_reader,
    find_signup,
    request_signup,
    unsubscribe_reader,
    unsubscribe_readers,
)

__all__ = [
    "SIGNUPS_PER_ADDRESS",
    "Choice",
    "ConfirmRequest",
    "Keyring",
    "SignupRequest",
    "UnsubscribeRequest",
    "change_preferences",
    "choose_edition",
    "confirm_signup",
    "consents",
    "find_reader",
    "find_signup",
    "keyring_from_environment",
    "make_confirm_token",
    "make_unsubscribe_token",
    "open_confirm_token",
    "open_unsubscribe_token",
    "request_signup",
    "seal",
    "secret_from_environment",
    "unseal",
    "unsubscribe_reader",
    "unsubscribe_readers",
    "verify_unsubscribe_token",
]

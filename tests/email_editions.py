"""Editions for the email tests: the sample issue as it is, and translated by stand-in texts."""

from __future__ import annotations

from pathlib import Path

from masthead import language
from masthead._config import Config, load_config
from masthead.editions import Edition
from masthead.email import Recipient
from masthead.sources import Text, find_issue, load_issue, map_texts

EMAIL_SETTINGS = """
[newsletter.postal_address]
en = "1 Pier Road, Portside"
[email]
sender = "Harbour Notes <news@harbour.example.org>"
reply_to = "hello@harbour.example.org"
list_id = "news.harbour.example.org"
unsubscribe_mailto = "unsubscribe@harbour.example.org"
"""


def email_config(workspace: Path) -> Config:
    with (workspace / "masthead.toml").open("a", encoding="utf-8") as stream:
        stream.write(EMAIL_SETTINGS)
    return load_config(workspace)


def sample_edition(config: Config, tag: str = "en") -> Edition:
    issue = load_issue(find_issue(config.issues_dir, None), root=config.root)
    return Edition(issue, language(tag))


# Stand-in translations: each text becomes this sample, repeated to about three times its length.
SAMPLES = {
    "ar": "يبلغ مركز حي شارع الفوانيس عامه الثلاثين، ويروي هذا العدد قصته. ",
    "zh-Hans": "灯笼街邻里中心今年三十岁了，这一期讲述它的故事。",
}


def translated_edition(config: Config, tag: str) -> Edition:
    issue = load_issue(find_issue(config.issues_dir, None), root=config.root)
    sample = SAMPLES[tag]

    def translate(text: Text) -> str:
        return (sample * (3 * len(text.source) // len(sample) + 1)).strip()

    return Edition(map_texts(issue, translate), language(tag))


def reader(name: str | None = "Ada Quill", address: str = "ada@example.org", token: str = "A1") -> Recipient:
    base = "https://harbour.example.org/news/"
    return Recipient(
        address, name, f"{base}unsubscribe?token={token}", preferences_url=f"{base}preferences?token={token}"
    )

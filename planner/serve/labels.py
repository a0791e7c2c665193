"""The page's own words, in English and Norwegian: the `serve.*` entries of the one
translations table (`planner.results.translations`)."""

from __future__ import annotations

from planner.results.translations import LANGUAGES, TEXT, Translator

__all__ = ["LANGUAGES", "page_texts", "text"]

PREFIX = "serve."


def text(key: str, lang: str, **values: object) -> str:
    return Translator(lang)(PREFIX + key, **values)


def page_texts(lang: str) -> dict[str, str]:
    """Every text the page's script needs, in one language."""
    return {key.removeprefix(PREFIX): entry[lang] for key, entry in TEXT.items()
            if key.startswith(PREFIX)}

"""User text on the terminal: the one function every print site passes it through.

Names, units, sources, file paths, `--set` values and error messages come from users (or
from files that travel by e-mail). Rich would read `[/old]` in them as markup (and fail),
drop `[kcores]` as an unknown style, follow `[link=…]`; a terminal would obey an ESC or
BEL. `escape` shows such text literally and makes every control or format character a
visible escape (`\\x1b`, `\\n`, `\\u202e`).
"""

from __future__ import annotations

from rich.markup import escape as escape_markup


def visible(value: object) -> str:
    """The text with every character that is not printable (Python's `str.isprintable`:
    control, format and line-break characters) as its Python escape, e.g. `\\x1b`."""
    text = str(value)
    if text.isprintable():
        return text
    return "".join(character if character.isprintable()
                   else character.encode("unicode_escape").decode("ascii")
                   for character in text)


def escape(value: object) -> str:
    """User text made safe to hand to rich: visible escapes for control characters, and
    square brackets escaped so that rich prints them instead of reading markup. `None`
    (no value, such as a missing tier) is the empty text, as rich shows it in a table."""
    if value is None:
        return ""
    return escape_markup(visible(value))


"""Hostile entry texts shared by the hostile-input tests, and checks on what comes out.

Each payload carries a marker that must never reach a terminal or an export when
it sits *inside* a control sequence (a title, a hyperlink target, a clipboard
payload, a DCS body), and visible words that must survive literally.
"""

from __future__ import annotations

import re

#: name → hostile entry text.
PAYLOADS: dict[str, str] = {
    "markup-bold": "[bold]loud[/bold] and a stray [/] here",
    "markup-click": "[@click=app.quit]quit-me[/]",
    "markup-link": "[link=https://markup-link.example/x]y[/link]",
    "csi": "red \x1b[31mALERT\x1b[0m then \x1b[2J\x1b[H clear",
    "osc0-title": "\x1b]0;PWNED-TITLE-0\x07after-title-0",
    "osc2-title": "\x1b]2;PWNED-TITLE-2\x1b\\after-title-2",
    "osc8-link": "\x1b]8;;https://osc8-evil.example/x\x1b\\click-me\x1b]8;;\x1b\\",
    "osc52-clipboard": "\x1b]52;c;UFdORUQtQ0xJUEJPQVJE\x07copied",
    "dcs": "\x1bPDCS-BODY-MARKER\x1b\\after-dcs",
    "c1": "c1 \x9b31m csi8 \x9d0;C1-TITLE-MARKER\x9c nel\x85 \x90C1-DCS-MARKER\x9c end",
    "nul": "nul\x00byte",
    "lone-surrogate": "lone \ud800 surrogate",
    "bidi": "bidi \u202egnp.exe\u202c and \u2066isolate\u2069 \u200fmark",
    "zero-width": "zero\u200bwidth\u200c\u200djoin\ufeffbom",
    "emoji-cjk": "🚀 火事です ☃ 👩‍💻 한국어 テスト",
    "unicode-tags": "tags \U000e0001\U000e0049\U000e0047\U000e004e\U000e007f hidden",
}

#: Strings that must never appear in output: bodies of control sequences.
SECRETS = (
    "PWNED-TITLE-0",
    "PWNED-TITLE-2",
    "osc8-evil.example",
    "UFdORUQtQ0xJUEJPQVJE",
    "DCS-BODY-MARKER",
    "C1-TITLE-MARKER",
    "C1-DCS-MARKER",
)

#: Visible words that must come through literally (markup is text, not style).
LITERALS = (
    "[bold]loud[/bold]",
    "[/]",
    "[@click=app.quit]quit-me[/]",
    "[link=https://markup-link.example/x]y[/link]",
    "ALERT",
    "after-title-0",
    "click-me",
    "copied",
    "after-dcs",
    "火事です",
    "👩‍💻",
)

#: What no stored (parsed), exported or displayed text may contain.
UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
    "\U000e0000-\U000e007f]"
)


def unsafe_characters(text: str) -> list[str]:
    """The unsafe characters in ``text`` (as reprs), empty when clean."""
    return [repr(c) for c in UNSAFE.findall(text)]


def leaked_secrets(text: str) -> list[str]:
    """Which :data:`SECRETS` appear in ``text``."""
    return [s for s in SECRETS if s in text]

"""The scribe's input line: the command language, completion, history, inline errors.

The line is never lost: a parse error is shown under it and the text stays; the
unsent text is saved as a draft by the war-room screen (see ``warroom.tui.draft``).
Completion (shown greyed, accepted with → or Tab) offers ``/commands`` and, after a
command that takes a name or after ``@``, the names already in the incident.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive
from textual.suggester import Suggester
from textual.widgets import Input, Static

from warroom.tui.widgets.ordered_input import OrderedInput
from warroom.tui.widgets.pane_support import rebound_scroll

if TYPE_CHECKING:
    from warroom.domain.commands import CommandSpec

__all__ = [
    "CONSOLE_COMMANDS",
    "DEFAULT_HINT",
    "EntrySuggester",
    "ScribeBox",
    "ScribeInput",
    "command_hint",
    "commands_markdown",
    "complete",
    "is_help_request",
]

#: Largest number of lines kept in the history.
HISTORY_LIMIT = 500


@cache
def _commands() -> dict[str, CommandSpec]:
    """The scribe's commands (the parser, imported when first needed: not for the first frame)."""
    from warroom.domain.commands import COMMANDS

    return COMMANDS


@cache
def _arg_choices() -> dict[str, tuple[str, ...]]:
    """Fixed argument choices of some commands, for completion."""
    from warroom.domain.events import Role, StatusPhase

    return {
        "release": tuple(r.value for r in Role),
        "status": tuple(p.value for p in StatusPhase),
        "detected": ("alert", "customer", "other"),
        "sev": ("1", "2", "3", "4"),
    }


#: Commands the console handles itself (never logged): name → (usage, help).
CONSOLE_COMMANDS: dict[str, tuple[str, str]] = {
    "help": ("/help", "Open the help: every command and the keys."),
}
#: What the line under the input says while nothing else is shown there.
DEFAULT_HINT = "/help lists commands · Tab completes · ↑↓ history · ^p all actions"

#: Commands offered first when several match (the ones typed most in a war room).
_PREFERRED = ("decision", "cmd", "status", "note", "checkpoint", "action", "fix", "mark")


@cache
def _command_order() -> tuple[str, ...]:
    """Every command name, the most typed first (what Tab completes to)."""
    commands = _commands()
    return tuple(
        dict.fromkeys([*(c for c in _PREFERRED if c in commands), *commands, *CONSOLE_COMMANDS])
    )

_HELP_WORDS = frozenset({"/help", "/?", "/h", "/commands"})


def is_help_request(line: str) -> bool:
    """Whether ``line`` asks for help (``/help``, ``/?``, ``/h``; any arguments ignored)."""
    words = line.split()
    return bool(words) and words[0].casefold() in _HELP_WORDS


def _command_word(value: str) -> str | None:
    """The ``/command`` being typed in ``value`` (after ``@TIME`` and ``!``), if any."""
    for word in value.split():
        if word.startswith("@") or word == "!":
            continue
        if word.startswith("!/"):
            word = word[1:]
        if word.startswith("/") and not word.startswith("//"):
            return word[1:].casefold()
        return None
    return None


def command_hint(value: str) -> str:
    """The usage and help of the command being typed, or :data:`DEFAULT_HINT`.

    An exact command name wins; otherwise the first command it is a prefix of
    (the one Tab would complete). Unknown commands say so and point at ``/help``.
    """
    name = _command_word(value)
    if name is None:
        return DEFAULT_HINT
    order = _command_order()
    if name == "" or name == "?":
        return "Commands: " + " ".join(f"/{c}" for c in order[:9]) + " … (/help)"
    commands = _commands()
    matches = [name] if name in commands or name in CONSOLE_COMMANDS else [
        c for c in order if c.startswith(name)
    ]
    if not matches:
        return f"No command /{name}: /help lists them (// starts a note with /)."
    chosen = matches[0]
    if chosen in CONSOLE_COMMANDS:
        usage, text = CONSOLE_COMMANDS[chosen]
    else:
        usage, text = commands[chosen].usage, commands[chosen].help
    return f"{usage} — {text}"


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell (GFM splits cells on every bare ``|``)."""
    return text.replace("|", "\\|")


def commands_markdown() -> str:
    """A Markdown table of every command of the scribe's language (for the help screen)."""
    pairs = [(spec.usage, spec.help) for spec in _commands().values()]
    pairs += list(CONSOLE_COMMANDS.values())
    rows = [f"| `{_cell(usage)}` | {_cell(text)} |" for usage, text in pairs]
    return "| command | does |\n|---|---|\n" + "\n".join(rows)


def complete(value: str, names: Iterable[str]) -> str | None:
    """The completed line for ``value`` or ``None`` (pure: used by the suggester).

    - ``/de`` → ``/decision`` (the first command in :data:`COMMANDS` order);
    - ``/ic al`` → ``/ic alice`` and ``… @al`` → ``… @alice`` (names in the incident);
    - ``/status id`` → ``/status identified`` (fixed argument choices).
    """
    if not value or value.endswith(" "):
        return None
    head, _, last = value.rpartition(" ")
    words = value.split()
    # Skip a leading @TIME / ! prefix when finding the command word.
    command_index = 0
    while command_index < len(words) and (
        words[command_index].startswith("@") or words[command_index] == "!"
    ) and command_index != len(words) - 1:
        command_index += 1
    if command_index == len(words) - 1 and last.startswith("/") and not last.startswith("//"):
        prefix = last[1:].casefold()
        for name in _command_order():
            if name.startswith(prefix) and name != prefix:
                return f"{head} /{name}".lstrip() if head else f"/{name}"
        return None
    candidates: Iterable[str] = ()
    token = last
    if last.startswith("@") and len(last) > 1 and command_index < len(words) - 1:
        token = last[1:]
        candidates = names
        lead = "@"
    elif command_index == len(words) - 2 and words[command_index].startswith("/"):
        command = words[command_index][1:].casefold()
        spec = _commands().get(command)
        lead = ""
        choices = _arg_choices()
        if spec is not None and spec.takes_name:
            candidates = names
        elif command in choices:
            candidates = choices[command]
    else:
        return None
    folded = token.casefold()
    if not folded:
        return None
    for candidate in candidates:
        if candidate.casefold().startswith(folded) and candidate.casefold() != folded:
            completed = f"{lead}{candidate}"
            return f"{head} {completed}" if head else completed
    return None


class EntrySuggester(Suggester):
    """Suggests completions of the scribe's line (see :func:`complete`)."""

    def __init__(self, names: Callable[[], Iterable[str]]) -> None:
        """Complete names from ``names()`` (called on each keystroke: keep it cheap)."""
        super().__init__(use_cache=False, case_sensitive=True)
        self._names = names
        self.last: tuple[str, str] | None = None

    async def get_suggestion(self, value: str) -> str | None:
        """The completed line, remembered for Tab."""
        suggestion = complete(value, self._names())
        self.last = (value, suggestion) if suggestion else None
        return suggestion

    def for_value(self, value: str) -> str | None:
        """The suggestion for ``value``: the last one made, else computed now.

        Computing it here means a quick "/he" + Tab completes even when the
        asynchronous suggestion has not arrived yet.
        """
        if self.last is not None and self.last[0] == value:
            return self.last[1]
        return complete(value, self._names())


class ScribeInput(OrderedInput):
    """One line of the command language; Enter sends it, Up/Down walk the history."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "history(-1)", "Previous", show=False, id="scribe.history_previous",
                tooltip="The previous line you sent"),
        Binding("down", "history(1)", "Next", show=False, id="scribe.history_next",
                tooltip="The next line you sent (past the newest: what you were typing)"),
        Binding(
            "tab",
            "accept_completion",
            "Complete",
            show=False,
            id="scribe.complete",
            tooltip="Accept the greyed completion (or move to the next pane)",
        ),
    ]

    #: Textual's ``Input`` sets ``virtual_size`` to the text's width on every change,
    #: and ``Widget.virtual_size`` asks for a screen layout when it changes: every
    #: keystroke (and the clearing on Enter) re-arranged the whole war room, 10-20 ms
    #: of the UI thread. This input has a fixed size and no visible scrollbar, so its
    #: virtual size only bounds the horizontal scroll: see :meth:`watch_virtual_size`.
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    class Entered(Message):
        """The scribe pressed Enter on a non-empty line."""

        def __init__(self, scribe: ScribeInput, line: str) -> None:
            """Carry the line as typed."""
            super().__init__()
            self.scribe = scribe
            self.line = line

    class PastedLines(Message):
        """A paste of several lines: the screen asks before logging one entry per line."""

        def __init__(self, scribe: ScribeInput, lines: list[str]) -> None:
            """Carry the lines (what was in the input is part of the first and last)."""
            super().__init__()
            self.scribe = scribe
            self.lines = lines

    def __init__(
        self,
        names: Callable[[], Iterable[str]] = tuple,
        *,
        id: str | None = None,
    ) -> None:
        """Create the input; ``names()`` gives the people to complete."""
        self.entry_suggester = EntrySuggester(names)
        super().__init__(
            placeholder="Type a note or a /command, then Enter · @14:02 back-dates",
            suggester=self.entry_suggester,
            id=id,
            select_on_focus=False,
        )
        self.history: list[str] = []
        self._history_index: int | None = None
        self._stash = ""

    def watch_virtual_size(self, size: Size) -> None:
        """Do what the skipped layout pass did for a scroll view: re-bound the scroll."""
        rebound_scroll(self, size)

    def remember(self, line: str) -> None:
        """Add a sent line to the history."""
        if not self.history or self.history[-1] != line:
            self.history.append(line)
            del self.history[:-HISTORY_LIMIT]
        self._history_index = None

    def action_history(self, step: int) -> None:
        """Walk the history (Up: older, Down: newer, past the newest: what was typed)."""
        if not self.history:
            return
        if self._history_index is None:
            if step > 0:
                return
            self._stash = self.value
            index = len(self.history) - 1
        else:
            index = self._history_index + step
        if index >= len(self.history):
            self._history_index = None
            self.value = self._stash
        else:
            self._history_index = max(0, index)
            self.value = self.history[self._history_index]
        self.cursor_position = len(self.value)

    def action_accept_completion(self) -> None:
        """Accept the shown completion, or move focus on when there is none."""
        suggestion = self.entry_suggester.for_value(self.value)
        if suggestion and self.cursor_at_end:
            self.value = suggestion
            self.cursor_position = len(suggestion)
        else:
            self.screen.focus_next()

    def on_paste(self, event: events.Paste) -> None:
        """A one-line paste is typed in; several lines go to the screen, none dropped.

        (Textual's input keeps the first line of a paste and drops the others.)
        """
        event.stop()
        event.prevent_default()
        value, cursor = self.value, self.cursor_position
        selection = self.selection
        if not selection.is_empty:
            start, end = sorted(selection)
            value, cursor = value[:start] + value[end:], start
        text = value[:cursor] + event.text + value[cursor:]
        lines = [line for line in text.splitlines() if line.strip()]
        if len(lines) > 1:
            self.post_message(self.PastedLines(self, lines))
            return
        pasted = "".join(event.text.splitlines())
        self.value = value[:cursor] + pasted + value[cursor:]
        self.cursor_position = cursor + len(pasted)

    async def action_submit(self) -> None:
        """Enter: take the line (see :meth:`take_line`).

        Run where the key is handled (:class:`OrderedInput`), before any key typed
        after it reaches the input: left to the app, keys of the same burst would be
        in the line by then ("first⏎second⏎" read as "firstsecond", twice).
        """
        self.take_line()

    def take_line(self) -> str | None:
        """Take the line, clear the input and send the line to the screen, in one step.

        The line goes into the history at once: the screen puts it back in the input
        if it is refused, and a blank line is ignored (a second Enter logs nothing).
        The message goes straight to the screen, not up through the boxes around
        the input: the screen starts the write before it next paints.
        """
        line = self.value
        if not line.strip():
            return None
        self.value = ""
        self.remember(line)
        self.screen.post_message(self.Entered(self, line))
        return line


_SCRIBE_HELP = """\
## Scribe input

Type and press **Enter**: plain text is a note. Commands start with `/`; the
line under the input shows the usage of the command you are typing.
`@14:02 text` or `@-5m text` back-dates an entry; a leading `!` makes it a key
event; `//text` logs a note starting with `/`.

| key | does |
|---|---|
| → or Tab | accept the greyed completion (commands, names, phases) |
| ↑ ↓ | previous / next line sent |
| Enter | log the line |

An error keeps your line; your unsent text survives a crash (it is saved as a draft).

### Commands

"""


class _ScribeHelp:
    """``ScribeBox.HELP``: the help text with the command table, built when first read."""

    def __get__(self, obj: object, owner: type | None = None) -> str:
        return _SCRIBE_HELP + commands_markdown()


class ScribeBox(Vertical):
    """The scribe input with its one-line error/help area under it."""

    HELP = _ScribeHelp()
    _transient: bool

    def compose(self) -> ComposeResult:
        """The input and its message line."""
        yield self._input
        yield Static(DEFAULT_HINT, id="scribe-message", markup=False)

    def on_input_changed(self, event: Input.Changed) -> None:
        """Keep the hint in step with the command being typed (errors stay until cleared)."""
        if not self.has_class("-error") and not self._transient:
            self._show(command_hint(event.value), error=False)
        self._transient = False

    def __init__(self, names: Callable[[], Iterable[str]] = tuple, *, id: str | None = None):
        """Create the box; ``names()`` gives the people to complete."""
        super().__init__(id=id)
        self._input = ScribeInput(names, id="scribe-input")
        self._transient = False
        self._shown: tuple[str, bool] | None = None  # (text, error) the message line shows

    @property
    def input(self) -> ScribeInput:
        """The input widget."""
        return self._input

    def _show(self, message: str, *, error: bool) -> None:
        if self._shown == (message, error):
            return  # e.g. the default hint again after each entry: nothing to redraw
        self._shown = (message, error)
        note = self.query_one("#scribe-message", Static)
        # One line of fixed height: a new text needs a repaint, not a screen layout
        # (which re-arranges every pane of the war room), unless it is sized by its text.
        note.update(Text(message), layout=note.styles.auto_dimensions)
        note.set_class(error, "-error")
        note.set_class(not error and message == DEFAULT_HINT, "-idle")
        self.set_class(error, "-error")

    def show_error(self, message: str) -> None:
        """Show ``message`` (one line) under the input until :meth:`clear_message`."""
        self._show(f"✗ {message}", error=True)

    def show_hint(self, message: str) -> None:
        """Show a neutral hint under the input (kept through the next change of the line)."""
        self._transient = True
        self._show(message, error=False)

    def clear_message(self) -> None:
        """Back to the hint for what is typed (the default hint on an empty line)."""
        self._transient = False
        self._show(command_hint(self._input.value), error=False)

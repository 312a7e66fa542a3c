"""Where each timeline entry sits on screen when long entries wrap onto several lines.

An entry takes one line, or more when its text wraps. The timeline holds up to
100,000 entries and measures none of them up front: an entry's height is known once
it has been drawn (or looked at to scroll to it), and an entry not measured yet
counts as one line. :class:`LineMap` keeps those heights for one width and answers
"which entry is on line *y*" and "on which line does entry *i* start" without a
pass over every entry: the extra lines are summed per block of :data:`BLOCK`
entries, so a lookup costs a search over the blocks and a walk inside one, and an
append or a height change costs a constant.

Pure bookkeeping, no Textual: the widget (:mod:`warroom.tui.panes.timeline.pane`)
decides what to measure and when.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from itertools import accumulate
from typing import TypeVar

__all__ = ["BLOCK", "MAX_EXTRA", "LineMap"]

#: Entries per block of summed extra lines.
BLOCK = 256
#: The most lines an entry may take beyond its first (kept in a byte).
MAX_EXTRA = 255

T = TypeVar("T")


class LineMap:
    """The screen lines of ``count`` entries (positions ``0..count-1``) at one width.

    Each entry takes ``1 + extra`` lines; ``extra`` is 0 until :meth:`set_height`
    says otherwise.
    """

    __slots__ = ("_blocks", "_count", "_extra", "_starts", "_total_extra", "changes")

    def __init__(self, count: int = 0) -> None:
        """``count`` entries of one line each."""
        self._count = count
        #: Lines beyond the first, per position.
        self._extra = bytearray(count)
        #: Sum of :attr:`_extra` per block of :data:`BLOCK` positions.
        self._blocks = [0] * -(-count // BLOCK)
        self._total_extra = 0
        #: First line of each block (built when a lookup needs it; ``None``: stale).
        self._starts: list[int] | None = None
        #: Counts the changes (an entry added or a height changed): a key for caches.
        self.changes = 0

    def __len__(self) -> int:
        """How many entries the map holds."""
        return self._count

    @property
    def total(self) -> int:
        """How many lines the entries take together."""
        return self._count + self._total_extra

    def height(self, position: int) -> int:
        """How many lines the entry at ``position`` takes (1 until measured)."""
        return 1 + self._extra[position]

    def set_height(self, position: int, lines: int) -> bool:
        """Record that the entry at ``position`` takes ``lines`` lines; whether that changed."""
        extra = min(MAX_EXTRA, max(0, lines - 1))
        delta = extra - self._extra[position]
        if not delta:
            return False
        self._extra[position] = extra
        self._blocks[position // BLOCK] += delta
        self._total_extra += delta
        self._starts = None
        self.changes += 1
        return True

    def insert(self, position: int) -> None:
        """A new one-line entry at ``position`` (the ones from there on move down)."""
        count = self._count
        if not 0 <= position <= count:
            raise IndexError("LineMap insert out of range")
        self._count = count + 1
        self._starts = None
        self.changes += 1
        if position == count:  # an append: the common case
            self._extra.append(0)
            if count % BLOCK == 0:
                self._blocks.append(0)
            return
        self._extra.insert(position, 0)
        if count % BLOCK == 0:
            self._blocks.append(0)
        extra = self._extra
        first = position // BLOCK
        self._blocks[first:] = [
            sum(extra[b * BLOCK:(b + 1) * BLOCK]) for b in range(first, len(self._blocks))
        ]

    def _block_starts(self) -> list[int]:
        starts = self._starts
        if starts is None:
            before = accumulate(self._blocks, initial=0)
            starts = self._starts = [
                b * BLOCK + extra for b, extra in zip(range(len(self._blocks)), before,
                                                      strict=False)
            ]
        return starts

    def start(self, position: int) -> int:
        """The first line of the entry at ``position`` (``len(self)``: the line after the last)."""
        if position >= self._count:
            return self.total + position - self._count
        if position <= 0:
            return position
        block = position // BLOCK
        first = block * BLOCK
        return self._block_starts()[block] + (position - first) + sum(
            self._extra[first:position]
        )

    def locate(self, line: int) -> tuple[int, int]:
        """The entry on ``line`` and which of its lines it is: ``(position, sub-line)``.

        A line past the last entry gives ``(len(self) + k, 0)`` for the ``k``-th line
        after it; a negative line gives ``(line, 0)``.
        """
        if line < 0:
            return (line, 0)
        total = self.total
        if line >= total:
            return (self._count + line - total, 0)
        starts = self._block_starts()
        block = bisect.bisect_right(starts, line) - 1
        position = block * BLOCK
        at = starts[block]
        if not self._blocks[block]:  # every entry of the block takes one line
            return (position + line - at, 0)
        extra = self._extra
        while True:
            height = 1 + extra[position]
            if at + height > line:
                return (position, line - at)
            at += height
            position += 1

    # ---------------------------------------------------------------- measuring
    def measure(self, position: int, draw: Callable[[int], Sequence[T]]) -> Sequence[T]:
        """The lines ``draw(position)`` gives for the entry at ``position``; keeps their count."""
        lines = draw(position)
        self.set_height(position, len(lines))
        return lines

    def measure_up(self, last: int, room: int, draw: Callable[[int], Sequence[T]]) -> None:
        """Measure entries from ``last`` upwards until they fill ``room`` lines (or run out)."""
        position = min(last, self._count - 1)
        while room > 0 and position >= 0:
            room -= len(self.measure(position, draw))
            position -= 1

    def window(self, top: int, height: int, draw: Callable[[int], Sequence[T]]) -> list[T]:
        """The ``height`` lines from line ``top`` on, as far as entries reach (measured on the way).

        Measuring changes only the lines after the first entry shown, so the entry at
        ``top`` stays where it was.
        """
        position, sub = self.locate(top)
        if position < 0:  # scrolled above the first line: nothing to align with
            return []
        shown: list[T] = []
        while len(shown) < height and position < self._count:
            lines = self.measure(position, draw)
            shown.extend(lines[sub:sub + height - len(shown)])
            position += 1
            sub = 0
        return shown

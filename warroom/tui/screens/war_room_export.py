"""Exporting from the war room: where to write, replace or keep, and what was written.

An :class:`ExportDesk` asks for the target (:class:`~warroom.tui.screens.export.ExportScreen`),
has the screen's :class:`~warroom.tui.incident_link.IncidentLink` write it in a
worker, asks before replacing a file, and says what was written (or why not).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from warroom.tui.exporting import ExportRequest
    from warroom.tui.incident_link import IncidentLink
    from warroom.tui.screens.war_room import WarRoomScreen

__all__ = ["ExportDesk"]


class ExportDesk:
    """The war room's export flow (see the module docstring)."""

    def __init__(self, screen: WarRoomScreen) -> None:
        """The export flow of ``screen``."""
        self._screen = screen

    def ask(self, fmt: str = "md") -> None:
        """Ask where to write the post-mortem draft (or JSON export), then write it."""
        from warroom.tui.exporting import ExportFormat
        from warroom.tui.screens.export import ExportScreen

        screen = self._screen
        if screen.session is None:
            screen.notify("The incident is still loading; try again.", severity="warning",
                          markup=False)
            return
        chooser = ExportScreen(
            screen.record.slug, fmt=ExportFormat(fmt),
            db_path=getattr(screen.store, "path", None),
        )
        screen.app.push_screen(chooser, self._chosen)

    def _chosen(self, request: ExportRequest | None) -> None:
        if request is not None:
            self._screen.link.export(request)

    def exists(self, request: ExportRequest) -> None:
        """The target exists: ask before it is replaced."""
        from warroom.tui.screens.confirm import ConfirmScreen

        screen = self._screen

        def answered(overwrite: bool | None) -> None:
            if overwrite:
                screen.link.export(request, force=True)
            else:
                screen.notify(f"Not exported: {request.path} was kept as it is.",
                              severity="warning", markup=False)

        screen.app.push_screen(
            ConfirmScreen(
                f"Replace {request.path.name}?",
                f"{request.path} already exists. Replace it with this export?",
                confirm_label="Replace (y)",
                cancel_label="Keep it (n)",
            ),
            answered,
        )

    def finished(self, message: IncidentLink.ExportFinished) -> None:
        """Say what was written, or why not."""
        what = message.request.fmt.label
        if message.error is not None:
            self._screen.notify(f"{what} not written: {message.error}", severity="error",
                                timeout=10, markup=False)
        else:
            self._screen.notify(f"{what} written to {message.path}", title="Exported",
                                timeout=10, markup=False)

"""The war room's panes: each package holds a pane, the modals only it opens, its styles."""

"""The timeline pane: the record of the incident, its rows, filter and entry detail."""

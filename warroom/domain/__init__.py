"""Pure domain: events, projection, policy, clocks, scribe parser. No I/O, no Textual."""

"""Upkeep forms the pages show where the user looks (issue 11 §3): each form gathers its input
and makes one domain service call; the service validates, writes and logs. A refused save shows
the service's Korean message and keeps what was typed (the form's widgets keep their keys); a
saved one clears the form (new keys) and says what was saved."""

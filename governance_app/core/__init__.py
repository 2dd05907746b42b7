"""The kernel: rules every domain builds on (records, findings, checks, auth, change log, formatting).

It imports nothing from the domain packages or from the application modules above it; the
import-linter contract in ``pyproject.toml`` keeps it that way.
"""

"""The window fixtures (make_window, recovery) live in tests/conftest.py, shared with tests/perf."""

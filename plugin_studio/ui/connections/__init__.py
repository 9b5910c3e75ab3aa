"""Saved connections in the window: the list and its editor, the production guard, switching."""

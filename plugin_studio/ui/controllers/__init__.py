"""controllers views beside the editor."""

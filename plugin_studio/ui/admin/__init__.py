"""admin views beside the editor."""

"""entities views beside the editor."""

"""cron views beside the editor."""

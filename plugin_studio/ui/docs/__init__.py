"""Documents (README, CHANGELOG, LICENSE, CONTRIBUTING): a rendered Markdown preview beside the editor."""

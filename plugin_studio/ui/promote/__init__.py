"""Comparing a plugin between stores: Compare and Promote… (two stores), Compare Across Group… (many)."""

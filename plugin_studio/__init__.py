"""Plugin Studio: a desktop IDE for plugins stored in PostgreSQL."""
__version__ = "0.1.0"

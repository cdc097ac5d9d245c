"""The version of tinkerlab (one place; the package metadata reads pyproject.toml)."""

__version__ = "0.1.0"

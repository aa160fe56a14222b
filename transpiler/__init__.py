"""tgo: a typed dialect of Go that lowers to plain Go."""

__version__ = "0.1.0"

"""Loaders: files on disk (or stdin) become `Post`s. Nothing here judges content."""

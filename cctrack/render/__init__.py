"""Renderers: turn results into text, JSON, CSV, Markdown, charts and HTML."""

"""Evaluation commands: gold data in, figures out (written to docs/)."""

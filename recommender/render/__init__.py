"""Renderers lay out a Recommendation; they never compute a score."""

"""Ember's own Python-level tools."""

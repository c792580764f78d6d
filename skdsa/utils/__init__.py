"""Utilities shared by skdsa estimators."""

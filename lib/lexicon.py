"""Kept for code written against the first layout: lexicon candidates live in
``lib.tagging.candidates``."""

from lib.tagging.candidates import extract_candidates

__all__ = ["extract_candidates"]

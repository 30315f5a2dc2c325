"""Kept for code written against the first layout: the region tagger lives in
``lib.tagging.regions`` (``from lib.tagging import tag_regions``)."""

from lib.tagging.regions import tag_regions

__all__ = ["tag_regions"]

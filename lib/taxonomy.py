"""Kept for code written against the first layout: the topic tagger lives in
``lib.tagging.topics`` (``from lib.tagging import tag_topics``)."""

from lib.tagging.topics import tag_topics

__all__ = ["tag_topics"]

"""Tagging: which city each article is about, whether it is smart-city coverage, which topics.

``tag_articles(corpus.articles)`` is the tagging stage (cached); ``load_and_tag(sources)``, which
the notebooks call, loads a corpus and runs it, tagging files while others still load (or reads
back a folder the distributed engine wrote);
``tag_regions`` and ``tag_topics`` are the two taggers it runs, usable on their own.
"""

from lib.tagging.engine_output import load_and_tag
from lib.tagging.regions import tag_regions
from lib.tagging.stage import TAG_DEFAULTS, TaggedCorpus, ensure_tags, tag_articles
from lib.tagging.topics import tag_topics

__all__ = ["TAG_DEFAULTS", "TaggedCorpus", "ensure_tags", "load_and_tag", "tag_articles", "tag_regions", "tag_topics"]

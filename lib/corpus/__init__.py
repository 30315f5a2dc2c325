"""Reading corpora: ``load_corpus`` and the canonical article schema.

>>> from lib.corpus import load_corpus
>>> corpus = load_corpus(["data/sample"])
>>> corpus.articles, corpus.rejects, corpus.manifest
"""

from lib.corpus.errors import CorpusError, RecordError
from lib.corpus.loader import Corpus, load_corpus, manifest_fingerprint
from lib.corpus.schema import ARTICLE_COLUMNS, MANIFEST_COLUMNS, REJECT_COLUMNS

__all__ = [
    "ARTICLE_COLUMNS",
    "MANIFEST_COLUMNS",
    "REJECT_COLUMNS",
    "Corpus",
    "CorpusError",
    "RecordError",
    "load_corpus",
    "manifest_fingerprint",
]

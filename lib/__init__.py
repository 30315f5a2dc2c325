"""Smart-city coverage in Korean news: Sejong vs Daejeon, topic by topic.

Everything the notebooks show is computed here; notebooks only call in. Nothing heavy
happens at import time (the Kiwi model loads on first use through ``lib.tagging.tokens.get_kiwi``).
"""

__version__ = "0.1.0"

"""``python -m lib.sample`` (``make sample``): regenerate the synthetic sample corpus in data/sample."""

from lib.sample.generate import main

raise SystemExit(main())

"""Presentation: charts (``plots``) and the offline HTML reports (``report``)."""

"""Analysis: pure functions from the tagged table to tidy long tables (counts, shares with
intervals, comparisons, trends). Nothing here draws."""

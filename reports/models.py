"""The daily rollup the reports read."""

"""The managers' monthly reports and the carrier scorecard, over a daily rollup (issue 20)."""

"""Loading and validating the knowledge folder."""

"""The built index: artifacts on disk and the builder that writes them."""

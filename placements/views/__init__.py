"""The placement views, one module per area; placements/urls.py maps them."""

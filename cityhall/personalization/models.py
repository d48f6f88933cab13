"""Models of the personalization app."""

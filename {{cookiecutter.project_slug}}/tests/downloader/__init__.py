"""The downloader example's tests."""

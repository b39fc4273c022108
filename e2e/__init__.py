"""End-to-end tests: Playwright driving Debian Chromium against a live server."""

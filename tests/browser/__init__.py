"""The dashboard in Debian's chromium, driven by Playwright (marked ``browser``)."""

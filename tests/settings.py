"""Settings for the test suite: the one config/settings.py, read with test-only environment defaults."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-used-anywhere-else-0123456789")
os.environ.setdefault("DEBUG", "False")
# Plain http in tests (the test client and the browser tests' live server).
os.environ.setdefault("SECURE_SSL_REDIRECT", "False")
os.environ.setdefault("SECURE_COOKIES", "False")
os.environ.setdefault("STATIC_MANIFEST", "False")
os.environ.setdefault("RANTAU_DEMO_ALLOWED", "True")
# The live server (browser and load-script tests) answers on both loopback names.
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

from config.settings import *  # noqa: E402,F403

"""The test client for Rantau's pages."""

from django.conf import settings
from django.test import Client


class LanguageClient(Client):
    """A test client whose requests take `language="en"`: that request is made as by someone who chose
    English with the language switch (the language cookie). Rantau ignores the browser's
    Accept-Language (Bahasa Indonesia whatever the browser says), so that header would not do."""

    def generic(self, *args, language: str | None = None, **extra):
        if language is None:
            return super().generic(*args, **extra)
        name = settings.LANGUAGE_COOKIE_NAME
        before = self.cookies.get(name)
        self.cookies[name] = language
        try:
            return super().generic(*args, **extra)
        finally:
            if before is None:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = before

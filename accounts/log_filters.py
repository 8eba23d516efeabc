"""A safety net on every log handler: identity numbers that slip into a log line are masked.

The code never passes NIKs or passport numbers to a logger (tests/security/test_no_pii_in_logs.py);
this filter covers what it cannot see: a library's message, a database error that quotes a value
("Key (nik)=(3673…) already exists"), a traceback.
"""

import logging
import re

# A NIK (16 digits) or any longer digit run such as a card number; not part of a longer word.
_DIGIT_RUN = re.compile(r"(?<![0-9])[0-9]{16,}(?![0-9])")
# Passport numbers: Indonesian ones are a letter and 7 digits (C1234567); many countries use one
# or two letters and 6 to 8 digits.
_PASSPORT = re.compile(r"(?<![A-Za-z0-9])[A-Z]{1,2}[0-9]{6,8}(?![A-Za-z0-9])")
MASK = "[redacted]"


def mask_personal_data(text: str) -> str:
    return _PASSPORT.sub(MASK, _DIGIT_RUN.sub(MASK, text))


class MaskPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_personal_data(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            # Format the traceback now, so that the masked text is what the formatter prints.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_personal_data(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_personal_data(record.stack_info)
        return True

"""gunicorn reads this file by default when it starts in the repository root (README, "Deploying").

Only what keeps personal data out of the logs lives here; workers and the bind address come from
the command line.
"""

# The default access log line carries the query string ("%(r)s") and the Referer ("%(f)s"), so a
# search by NIK would land in the log through both. Log the path without its query string instead.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms "%(a)s"'

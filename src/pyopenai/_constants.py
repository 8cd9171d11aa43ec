"""Defaults shared by the clients (the official SDK's values, so ported code behaves the same)."""

DEFAULT_BASE_URL = "https://api.openai.com/v1"
DEFAULT_TIMEOUT_SECONDS = 600  # an int, as the official SDK has it: `Timeout(connect=5.0, read=600, ...)` when printed
DEFAULT_CONNECT_TIMEOUT_SECONDS = 5.0
DEFAULT_MAX_RETRIES = 2
# keep-alive pool: generous, as concurrent async use is common
DEFAULT_MAX_CONNECTIONS = 1000
DEFAULT_MAX_KEEPALIVE_CONNECTIONS = 100

INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
# A server-requested wait longer than this is not honoured silently: the error is raised instead.
MAX_RETRY_AFTER_SECONDS = 120.0


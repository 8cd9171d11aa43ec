"""AWS Signature Version 4, as Amazon Bedrock expects it on every request (no AWS SDK needed).

The steps are AWS's published algorithm: a canonical request (method, URI, query, signed headers,
payload hash), a string to sign scoped to date/region/service, a key derived from the secret by
chained HMACs, and the `Authorization` header built from them. Checked against AWS's published
test vectors in the tests.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import quote

__all__ = ["AwsCredentials", "sign"]

ALGORITHM = "AWS4-HMAC-SHA256"


@dataclass(frozen=True)
class AwsCredentials:
    access_key_id: str
    secret_access_key: str
    session_token: str | None = None

    def __repr__(self) -> str:  # never the secret
        return f"AwsCredentials(access_key_id={self.access_key_id[:4]}..., session_token={'set' if self.session_token else None})"


def _hmac(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode(), hashlib.sha256).digest()


def signing_key(secret: str, date: str, region: str, service: str) -> bytes:
    key = _hmac(f"AWS4{secret}".encode(), date)
    key = _hmac(key, region)
    key = _hmac(key, service)
    return _hmac(key, "aws4_request")


def _encode(value: str) -> str:
    return quote(value, safe="-_.~")


def canonical_query(query: list[tuple[str, str]]) -> str:
    return "&".join(f"{k}={v}" for k, v in sorted((_encode(k), _encode(v)) for k, v in query))


def canonical_uri(raw_path: str) -> str:
    # the path as sent (already percent-encoded once) is encoded again, as AWS does for every service but S3
    return quote(raw_path or "/", safe="/~")


def sign(
    *,
    method: str,
    raw_path: str,
    query: list[tuple[str, str]],
    headers: dict[str, str],
    body: bytes,
    credentials: AwsCredentials,
    region: str,
    service: str,
    now: datetime | None = None,
    sign_payload_header: bool = True,
) -> dict[str, str]:
    """The headers to add to a request so that AWS accepts it: `x-amz-date`, `authorization`, and
    `x-amz-content-sha256` / `x-amz-security-token` when they apply.

    `headers` are the request's headers (lower-case names) that are signed along with them; `host`
    must be among them.
    """
    moment = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    amz_date = moment.strftime("%Y%m%dT%H%M%SZ")
    date = amz_date[:8]
    payload_hash = hashlib.sha256(body).hexdigest()
    added = {"x-amz-date": amz_date}
    if sign_payload_header:
        added["x-amz-content-sha256"] = payload_hash
    if credentials.session_token:
        added["x-amz-security-token"] = credentials.session_token
    signed = {k.lower(): " ".join(v.strip().split()) for k, v in {**headers, **added}.items()}
    names = sorted(signed)
    canonical_request = "\n".join([
        method.upper(),
        canonical_uri(raw_path),
        canonical_query(query),
        "".join(f"{name}:{signed[name]}\n" for name in names),
        ";".join(names),
        payload_hash,
    ])
    scope = f"{date}/{region}/{service}/aws4_request"
    string_to_sign = "\n".join([ALGORITHM, amz_date, scope, hashlib.sha256(canonical_request.encode()).hexdigest()])
    signature = hmac.new(
        signing_key(credentials.secret_access_key, date, region, service), string_to_sign.encode(), hashlib.sha256
    ).hexdigest()
    added["authorization"] = (
        f"{ALGORITHM} Credential={credentials.access_key_id}/{scope}, SignedHeaders={';'.join(names)}, "
        f"Signature={signature}"
    )
    return added

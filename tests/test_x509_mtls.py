"""X.509 workload identity over real mutual TLS: a loopback HTTPS server that requires a client
certificate signed by its CA serves both the token exchange and the API, and records which
certificate each request presented. Certificates are made for the test with the `openssl` tool."""

from __future__ import annotations

import json
import shutil
import ssl
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from pyopenai import AsyncOpenAI, DefaultAsyncHttpx2Client, DefaultHttpx2Client, OpenAI
from pyopenai.auth import x509_workload_identity

if shutil.which("openssl") is None:
    pytest.skip("the openssl tool is needed to make test certificates", allow_module_level=True)


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("pki")
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
             "-subj", "/CN=test-ca", cwd=d)
    (d / "server.ext").write_text("subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
    (d / "client.ext").write_text("extendedKeyUsage=clientAuth\n")
    for name, cn in (("server", "127.0.0.1"), ("client", "workload-7")):
        _openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}.key", "-out", f"{name}.csr",
                 "-subj", f"/CN={cn}", cwd=d)
        _openssl("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                 "-out", f"{name}.pem", "-days", "2", "-extfile", f"{name}.ext", cwd=d)
    return d


class MtlsServer:
    """Token exchange (`/oauth/token`) and API (`/v1/...`) behind TLS that demands a client certificate."""

    def __init__(self, pki: Path) -> None:
        self.seen: list[tuple[str, str | None, dict[str, str], bytes]] = []  # path, client CN, headers, body
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                self.do_GET()

            def do_GET(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                peer: Any = self.connection.getpeercert()  # pyright: ignore[reportAttributeAccessIssue]
                cn = next((v for rdn in (peer or {}).get("subject", ()) for k, v in rdn if k == "commonName"), None)
                server.seen.append((self.path, cn, {k.lower(): v for k, v in self.headers.items()}, body))
                if self.path.endswith("/oauth/token"):
                    answer: object = {"access_token": "mtls-token", "expires_in": 3600}
                else:
                    answer = {"object": "list", "data": []}
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(pki / "server.pem", pki / "server.key")
        context.load_verify_locations(pki / "ca.pem")
        context.verify_mode = ssl.CERT_REQUIRED
        self._http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._http.daemon_threads = True
        self._http.socket = context.wrap_socket(self._http.socket, server_side=True)
        self.url = f"https://127.0.0.1:{self._http.server_address[1]}"
        self._thread = threading.Thread(target=self._http.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._http.shutdown()
        self._http.server_close()
        self._thread.join(10)


@pytest.fixture
def mtls(pki: Path) -> Iterator[MtlsServer]:
    server = MtlsServer(pki)
    try:
        yield server
    finally:
        server.close()


def client_tls(pki: Path) -> ssl.SSLContext:
    """Trusts the test CA and presents the workload's certificate."""
    context = ssl.create_default_context(cafile=str(pki / "ca.pem"))
    context.load_cert_chain(pki / "client.pem", pki / "client.key")
    return context


def identity(server: MtlsServer) -> Any:
    return {**x509_workload_identity("idp_x509", "sa_x509"), "token_exchange_url": f"{server.url}/oauth/token"}


def check(server: MtlsServer) -> None:
    (exchange_path, exchange_cn, _, body), (api_path, api_cn, api_headers, _) = server.seen
    assert exchange_path == "/oauth/token" and exchange_cn == "workload-7"  # the certificate proved the identity
    assert json.loads(body) == {"grant_type": "urn:ietf:params:oauth:grant-type:token-exchange",
                                "identity_provider_id": "idp_x509", "service_account_id": "sa_x509",
                                "subject_token_type": "urn:openai:params:oauth:token-type:x509"}
    assert api_path == "/v1/models" and api_cn == "workload-7"
    assert api_headers["authorization"] == "Bearer mtls-token"


def test_x509_identity_over_mutual_tls(mtls: MtlsServer, pki: Path) -> None:
    http = DefaultHttpx2Client(verify=client_tls(pki))
    client = OpenAI(workload_identity=identity(mtls), base_url=f"{mtls.url}/v1", http_client=http)
    client.models.list()
    check(mtls)


async def test_async_x509_identity_over_mutual_tls(mtls: MtlsServer, pki: Path) -> None:
    http = DefaultAsyncHttpx2Client(verify=client_tls(pki))
    client = AsyncOpenAI(workload_identity=identity(mtls), base_url=f"{mtls.url}/v1", http_client=http)
    await client.models.list()
    check(mtls)


async def test_x509_identity_over_aiohttp(mtls: MtlsServer, pki: Path) -> None:
    pytest.importorskip("aiohttp", reason="the aiohttp extra is not installed: pip install 'pyopenai[aiohttp]'")
    from pyopenai import DefaultAioHttpClient

    http = DefaultAioHttpClient(verify=str(pki / "ca.pem"), cert=(str(pki / "client.pem"), str(pki / "client.key")))
    async with AsyncOpenAI(workload_identity=identity(mtls), base_url=f"{mtls.url}/v1", http_client=http) as client:
        await client.models.list()
    check(mtls)


def test_without_the_certificate_the_handshake_fails(mtls: MtlsServer, pki: Path) -> None:
    from pyopenai import APIConnectionError

    http = DefaultHttpx2Client(verify=ssl.create_default_context(cafile=str(pki / "ca.pem")))
    client = OpenAI(workload_identity=identity(mtls), base_url=f"{mtls.url}/v1", http_client=http, max_retries=0)
    with pytest.raises(APIConnectionError):
        client.models.list()
    assert mtls.seen == []

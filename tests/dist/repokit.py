"""Chart repositories for the tests: a folder of packaged fixture charts served by an http.server thread on 127.0.0.1."""

from __future__ import annotations

import base64
import contextlib
import functools
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path

from minihelm.dist.repo import build_index, push

DESCRIPTION = "A chart for the repository tests whose description is long enough to be cut"


def make_chart(root: Path, name: str, version: str, extra: str = "") -> Path:
    d = root / f"{name}-{version}-src"
    (d / "templates").mkdir(parents=True, exist_ok=True)
    (d / "Chart.yaml").write_text(f"apiVersion: v2\nname: {name}\nversion: {version}\n{extra}")
    (d / "templates" / "cm.yaml").write_text(
        "kind: ConfigMap\nmetadata:\n  name: {{ .Chart.Name }}-{{ .Chart.Version }}\n")
    return d


CHARTS = (
    ("demo", "1.0.0", f"appVersion: '1.16'\ndescription: {DESCRIPTION}\nkeywords: [web, nginx]\n"),
    ("demo", "1.2.0", f"appVersion: '1.17'\ndescription: {DESCRIPTION}\nkeywords: [web, nginx]\n"),
    ("demo", "2.0.0-beta.1", "appVersion: '2.0'\ndescription: the next one\n"),
    ("other", "0.1.0", "description: Another chart that mentions demo\n"),
    ("zeta", "3.1.4", "appVersion: v9\ndescription: Last in the alphabet\nkeywords: [db]\n"),
)


def make_repo(root: Path, charts: tuple[tuple[str, str, str], ...] = CHARTS) -> Path:
    repo = root / "served"
    for name, version, extra in charts:
        push(make_chart(root / "src", name, version, extra), repo)
    build_index(repo)
    return repo


class _Handler(http.server.SimpleHTTPRequestHandler):
    auth: str | None = None  # "user:password" the server demands, if any

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path.startswith("/loop/"):  # a hostile server: redirects to itself forever
            self.send_response(302, "Found")
            self.send_header("Location", self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.auth is not None:
            want = "Basic " + base64.b64encode(self.auth.encode()).decode()
            if self.headers.get("Authorization") != want:
                self.send_response(401, "Unauthorized")
                self.send_header("WWW-Authenticate", 'Basic realm="charts"')
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
        super().do_GET()


@contextlib.contextmanager
def serve(folder: Path, auth: str | None = None) -> Iterator[str]:
    """An http.server thread on 127.0.0.1 serving `folder` (optionally behind basic auth); yields its URL."""
    handler = type("Handler", (_Handler,), {"auth": auth})
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=os.fspath(folder)))
    t = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        t.join(timeout=10)


def repo_env(base: dict[str, str], root: Path) -> dict[str, str]:
    """helm's and minihelm's repository files under `root`."""
    return dict(base, HELM_REPOSITORY_CONFIG=str(root / "config" / "repositories.yaml"),
                HELM_REPOSITORY_CACHE=str(root / "cache"))


def files(root: Path) -> dict[str, bytes]:
    """Every file under root; a charts.txt with its lines sorted (helm writes them in Go's
    random map order)."""
    out = {}
    for p in sorted(root.rglob("*")):
        if p.is_file():
            data = p.read_bytes()
            if p.name.endswith("-charts.txt"):
                data = b"".join(sorted(data.splitlines(keepends=True)))
            out[p.relative_to(root).as_posix()] = data
    return out


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 that is its own CA (usable as --ca-file) and its key."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "minihelm-test-repo")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .sign(key, hashes.SHA256()))
    crt, pem = folder / "repo.crt", folder / "repo.key"
    crt.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    pem.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                      serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()))
    return crt, pem


@contextlib.contextmanager
def serve_tls(folder: Path, cert: Path, key: Path) -> Iterator[str]:
    """serve(), over TLS with the given certificate; yields its https URL."""
    import ssl

    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Handler, directory=os.fspath(folder)))
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
    t = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True)
    t.start()
    try:
        yield f"https://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        t.join(timeout=10)

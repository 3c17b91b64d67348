"""A real IMAP server for tests: Debian's Dovecot, started with a private configuration under a temporary folder.

It listens on 127.0.0.1 only (plain IMAP and IMAPS on free high ports, a self-signed certificate made
for 127.0.0.1), knows one user from a passwd-file and no system login, and keeps a maildir under the
folder. Dovecot's master runs as root in the foreground (``-F``) with its own base_dir; mail processes
run as ``nobody`` chrooted into the mail folder (Dovecot never opens mail as root).
"""

import grp
import imaplib
import os
import pwd
import shutil
import signal
import socket
import ssl
import subprocess
import time
from pathlib import Path

from tests.smtp import free_port

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER, PASSWORD = "balas", "rahasia-uji"

CONFIG = """
base_dir = {root}/run
state_dir = {root}/state
instance_name = coordapp-test-{port}
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
default_internal_user = dovecot
default_login_user = dovenull
mail_uid = nobody
mail_gid = {group}
mail_chroot = {root}/mail
valid_chroot_dirs = {root}/mail
mail_location = maildir:/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = home=/%u
}}
service auth {{
  user = root
}}
service imap-login {{
  inet_listener imap {{
    port = {port}
  }}
  inet_listener imaps {{
    port = {tls_port}
    ssl = yes
  }}
}}
"""


def available() -> bool:
    """Tell whether this machine can run the test server: Dovecot installed, and we are root."""
    return Path(DOVECOT).is_file() and os.geteuid() == 0 and shutil.which("openssl") is not None


class Dovecot:
    """One running Dovecot: its addresses, the test user's mailbox, and a client to fill and read it."""

    def __init__(self, root: Path):
        self.root = root
        self.port, self.tls_port = free_port(), free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"imap://{USER}:{PASSWORD}@127.0.0.1:{self.port}/INBOX"

    @property
    def tls_url(self) -> str:
        return f"imaps://{USER}:{PASSWORD}@127.0.0.1:{self.tls_port}/INBOX"

    def trusting_context(self) -> ssl.SSLContext:
        """An SSL context that trusts this server's self-signed certificate (and checks the host name)."""
        return ssl.create_default_context(cafile=str(self.root / "cert.pem"))

    def start(self) -> "Dovecot":
        """Write the configuration, certificate and user, start Dovecot and wait until it greets."""
        nobody = pwd.getpwnam("nobody")
        for sub in ("run", "state", f"mail/{USER}"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        for folder in (self.root / "mail", self.root / "mail" / USER):
            os.chown(folder, nobody.pw_uid, nobody.pw_gid)
        (self.root / "users").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
            + ["-keyout", str(self.root / "key.pem"), "-out", str(self.root / "cert.pem"), "-days", "1"]
            + ["-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
            check=True,
            capture_output=True,
        )
        group = next(g for g in ("nogroup", "nobody") if _group_exists(g))
        config = self.root / "dovecot.conf"
        config.write_text(CONFIG.format(root=self.root, port=self.port, tls_port=self.tls_port, group=group))
        self.process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"dovecot exited: {self.process.stderr.read().decode()} {self.log()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                    if sock.recv(100).startswith(b"* OK"):
                        return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"dovecot did not answer on port {self.port}: {self.log()}")

    def stop(self) -> None:
        """Stop the Dovecot this object started (its own process group)."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def client(self) -> imaplib.IMAP4:
        """A logged-in client on the test user's INBOX."""
        conn = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        conn.login(USER, PASSWORD)
        conn.select("INBOX")
        return conn

    def append(self, *messages: bytes) -> None:
        """Deliver messages into the INBOX as new (unseen), the way a mail server files them."""
        conn = self.client()
        try:
            for raw in messages:
                status, detail = conn.append("INBOX", None, None, raw)
                assert status == "OK", detail
        finally:
            conn.logout()

    def flags(self) -> list[set[str]]:
        """Return the flags of each message in the INBOX, in order."""
        conn = self.client()
        try:
            if not conn.search(None, "ALL")[1][0]:
                return []
            status, data = conn.fetch("1:*", "(FLAGS)")
            lines = [line for line in data if isinstance(line, bytes)]
            return [{flag.decode() for flag in imaplib.ParseFlags(line)} for line in lines]
        finally:
            conn.logout()

    def empty(self) -> None:
        """Delete every message of the INBOX (between tests)."""
        conn = self.client()
        try:
            status, data = conn.search(None, "ALL")
            if data[0]:
                conn.store("1:*", "+FLAGS", "(\\Deleted)")
                conn.expunge()
        finally:
            conn.logout()


def _group_exists(name: str) -> bool:
    try:
        grp.getgrnam(name)
    except KeyError:
        return False
    return True

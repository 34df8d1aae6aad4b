"""Serve a built site with Debian's apache2, the repo's deploy/apache/site.conf and the
build's own `.htaccess`.

Why: the Apache recipe is tried for real, as the nginx one is
(feeling_safe/measuring/nginx_site.py). apache2 runs in the foreground from a temporary
folder (its own pid, logs and locks) on a free loopback port, with only the modules the
recipe names; the system's Apache service is never touched. The only changes to
site.conf are the ones its comments tell a deployer to make: where the site lives and
which address to listen on. Apache will not serve as root, so as root it runs as
`nobody`, on a copy of the site that `nobody` can read.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path

from feeling_safe.measuring.localserver import free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[3]
APACHE = os.environ.get("APACHE", "/usr/sbin/apache2")
MODULE_DIR = Path("/usr/lib/apache2/modules")
SITE_CONF = ROOT / "deploy" / "apache" / "site.conf"
DEPLOY_ROOT = "/srv/feeling-safe-in-therapy/site"   # the path site.conf names three times
MIME_TYPES = "/etc/mime.types"
# The modules site.conf asks for (brotli when Debian ships it), and what they need.
MODULES = ("mpm_event", "authz_core", "dir", "mime", "headers", "rewrite", "filter", "deflate", "brotli")
AS_USER = "nobody"


def site_conf_for(site_dir: Path, port: int) -> str:
    """deploy/apache/site.conf with this machine's site folder and a loopback port."""
    text = SITE_CONF.read_text(encoding="utf-8")
    assert text.count(DEPLOY_ROOT) == 3, f"{SITE_CONF} should name {DEPLOY_ROOT} for DocumentRoot, Include and Directory"
    assert "<VirtualHost *:80>" in text
    return text.replace(DEPLOY_ROOT, str(site_dir)).replace("<VirtualHost *:80>", f"<VirtualHost 127.0.0.1:{port}>")


def main_conf(prefix: Path, port: int, site_conf: Path) -> str:
    """A minimal apache2.conf around the site's vhost, everything under `prefix`."""
    modules = "".join(f"LoadModule {name}_module {MODULE_DIR / f'mod_{name}.so'}\n"
                      for name in MODULES if (MODULE_DIR / f"mod_{name}.so").is_file())
    return (f"ServerRoot {prefix}\nDefaultRuntimeDir {prefix}\nPidFile {prefix / 'apache.pid'}\n"
            f"Mutex file:{prefix} default\nListen 127.0.0.1:{port}\nServerName 127.0.0.1\n"
            f"ErrorLog {prefix / 'error.log'}\nLogLevel warn\n{modules}"
            f"TypesConfig {MIME_TYPES}\nServerTokens Prod\nServerSignature Off\n"
            "<Directory />\n    AllowOverride None\n    Require all denied\n</Directory>\n"
            f"Include {site_conf}\n")


@contextmanager
def serve_with_apache(site_dir: Path, prefix: Path):
    """Run apache2 on the built `site_dir`; yields the base URL, stops Apache afterwards."""
    assert Path(APACHE).is_file(), f"{APACHE} is missing: `make test` installs Debian's apache2 (make apache)"
    as_root = os.geteuid() == 0
    if as_root:   # a copy `nobody` can read, a prefix it can write
        served = prefix / "site"
        shutil.copytree(site_dir, served)
        for folder in (prefix, *prefix.parents):
            if folder == Path("/"):
                break
            folder.chmod(folder.stat().st_mode | 0o711)
        shutil.chown(prefix, AS_USER)
        for path in served.rglob("*"):
            path.chmod(0o755 if path.is_dir() else 0o644)
        served.chmod(0o755)
        site_dir = served
    port = free_port()
    (prefix / "site.conf").write_text(site_conf_for(site_dir, port), encoding="utf-8")
    conf = prefix / "apache2.conf"
    conf.write_text(main_conf(prefix, port, prefix / "site.conf"), encoding="utf-8")
    drop = ["setpriv", f"--reuid={AS_USER}", "--regid=nogroup", "--clear-groups"] if as_root else []
    command = [*drop, APACHE, "-f", str(conf), "-DFOREGROUND"]
    check = subprocess.run([*command, "-t"], capture_output=True, text=True)
    assert check.returncode == 0, f"apache2 rejects the config:\n{check.stderr}"
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        wait_for_port(port, server)
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()   # SIGTERM: Apache stops at once
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

"""Serve a built site with Debian's nginx and the repo's deploy/nginx/site.conf.

Why: the nginx recipe is tried for real. nginx runs as the current user from
a temporary prefix (its own pid, logs and temp folders) on a free loopback
port; the system's nginx service is never touched. The only changes to
site.conf are the ones its comments tell a deployer to make: where the site
lives and which address to listen on.
"""
from __future__ import annotations

import getpass
import grp
import os
import re
import subprocess
from contextlib import contextmanager
from pathlib import Path

from feeling_safe.measuring.localserver import free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[3]
NGINX = os.environ.get("NGINX", "/usr/sbin/nginx")
SITE_CONF = ROOT / "deploy" / "nginx" / "site.conf"
DEPLOY_ROOT = "/srv/feeling-safe-in-therapy/site"   # the path site.conf names twice
DEPLOY_PARENT = "/srv/feeling-safe-in-therapy"      # the sub-path form's root (the site is in its guide/)
SUB_PATH = "/guide/"                                # the folder site.conf's sub-path form names
MIME_TYPES = "/etc/nginx/mime.types"
# Dynamic modules as Debian's nginx.conf loads them (brotli_static among them); their
# paths are relative to Debian's prefix, and ours is a temporary folder.
MODULES = Path("/etc/nginx/modules-enabled")
DEBIAN_PREFIX = Path("/usr/share/nginx")


def site_conf_for(site_dir: Path, port: int) -> str:
    """deploy/nginx/site.conf with this machine's site folder and a loopback port."""
    text = SITE_CONF.read_text(encoding="utf-8")
    assert text.count(DEPLOY_ROOT) == 2, f"{SITE_CONF} should name {DEPLOY_ROOT} for root and include"
    assert "listen 80;" in text and "listen [::]:80;" in text
    return (text.replace(DEPLOY_ROOT, str(site_dir))
                .replace("listen 80;", f"listen 127.0.0.1:{port};")
                .replace("listen [::]:80;", ""))


def subpath_block(parent: Path) -> str:
    """site.conf's documented sub-path block, uncommented as its comment says, for a site in `parent`/guide/."""
    text = SITE_CONF.read_text(encoding="utf-8")
    found = re.search(r"^# SUB-PATH BEGIN\n(.*?)^# SUB-PATH END$", text, re.S | re.M)
    assert found, f"{SITE_CONF} should document the sub-path form between SUB-PATH BEGIN and END"
    lines = found.group(1).splitlines()
    assert all(line.startswith("# ") for line in lines), "every line of the block is commented with '# '"
    return "\n".join(line[2:] for line in lines).replace(DEPLOY_PARENT, str(parent)) + "\n"


def subpath_conf(parent: Path, port: int, clinic_root: Path) -> str:
    """A clinic's own server (its files at /) with the guide under /guide/, as site.conf says."""
    return (f"server {{\n    listen 127.0.0.1:{port};\n    server_tokens off;\n    root {clinic_root};\n"
            f"{subpath_block(parent)}}}\n")


def enabled_modules() -> str:
    """The system's load_module lines, each path made absolute against Debian's prefix."""
    lines = []
    for conf in sorted(MODULES.glob("*.conf")):
        for module in re.findall(r"^\s*load_module\s+(\S+?);", conf.read_text(encoding="utf-8"), re.M):
            lines.append(f"load_module {DEBIAN_PREFIX / module};\n")
    return "".join(lines)


def main_conf(prefix: Path, site_conf: Path) -> str:
    """A minimal nginx.conf around the site's server block, everything under `prefix`,
    with the system's enabled modules, as Debian's own nginx.conf has them."""
    # As root, workers would drop to `nobody`, who cannot read a private temp folder.
    user = f"user {getpass.getuser()} {grp.getgrgid(os.getgid()).gr_name};\n" if os.geteuid() == 0 else ""
    temps = "".join(f"    {kind}_temp_path {prefix / kind};\n"
                    for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (f"{user}{enabled_modules()}daemon off;\nworker_processes 1;\npid {prefix / 'nginx.pid'};\n"
            f"error_log {prefix / 'error.log'} warn;\n"
            "events { worker_connections 64; }\n"
            f"http {{\n    include {MIME_TYPES};\n    default_type application/octet-stream;\n"
            f"    access_log off;\n{temps}    include {site_conf};\n}}\n")


@contextmanager
def serve_with_nginx(site_dir: Path, prefix: Path):
    """Run nginx on the built `site_dir`; yields the base URL, stops nginx afterwards."""
    port = free_port()
    with _run_nginx(site_conf_for(site_dir, port), port, prefix):
        yield f"http://127.0.0.1:{port}/"


@contextmanager
def serve_subpath_with_nginx(parent: Path, port: int, prefix: Path):
    """Run nginx with site.conf's sub-path form: the site built into `parent`/guide/ is
    served at /guide/ on `port` (a clinic's own page at /); yields the site's URL."""
    clinic_root = prefix / "clinic"
    clinic_root.mkdir()
    (clinic_root / "index.html").write_text("<!doctype html><title>A clinic</title><p>Our clinic", encoding="utf-8")
    with _run_nginx(subpath_conf(parent, port, clinic_root), port, prefix):
        yield f"http://127.0.0.1:{port}{SUB_PATH}"


@contextmanager
def _run_nginx(site_conf: str, port: int, prefix: Path):
    assert Path(NGINX).is_file(), f"{NGINX} is missing: `make test` installs Debian's nginx"
    (prefix / "site.conf").write_text(site_conf, encoding="utf-8")
    conf = prefix / "nginx.conf"
    conf.write_text(main_conf(prefix, prefix / "site.conf"), encoding="utf-8")
    command = [NGINX, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")]
    check = subprocess.run([*command, "-t"], capture_output=True, text=True)
    assert check.returncode == 0, f"nginx rejects the config:\n{check.stderr}"
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        wait_for_port(port, server)
        yield
    finally:
        server.terminate()   # SIGTERM: nginx's fast shutdown
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

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
import subprocess
from contextlib import contextmanager
from pathlib import Path

from scripts.localserver import free_port, wait_for_port
from sitebuild import ROOT

NGINX = os.environ.get("NGINX", "/usr/sbin/nginx")
SITE_CONF = ROOT / "deploy" / "nginx" / "site.conf"
DEPLOY_ROOT = "/srv/feeling-safe-in-therapy/site"   # the path site.conf names twice
MIME_TYPES = "/etc/nginx/mime.types"


def site_conf_for(site_dir: Path, port: int) -> str:
    """deploy/nginx/site.conf with this machine's site folder and a loopback port."""
    text = SITE_CONF.read_text(encoding="utf-8")
    assert text.count(DEPLOY_ROOT) == 2, f"{SITE_CONF} should name {DEPLOY_ROOT} for root and include"
    assert "listen 80;" in text and "listen [::]:80;" in text
    return (text.replace(DEPLOY_ROOT, str(site_dir))
                .replace("listen 80;", f"listen 127.0.0.1:{port};")
                .replace("listen [::]:80;", ""))


def main_conf(prefix: Path, site_conf: Path) -> str:
    """A minimal nginx.conf around the site's server block, everything under `prefix`."""
    # As root, workers would drop to `nobody`, who cannot read a private temp folder.
    user = f"user {getpass.getuser()} {grp.getgrgid(os.getgid()).gr_name};\n" if os.geteuid() == 0 else ""
    temps = "".join(f"    {kind}_temp_path {prefix / kind};\n"
                    for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (f"{user}daemon off;\nworker_processes 1;\npid {prefix / 'nginx.pid'};\n"
            f"error_log {prefix / 'error.log'} warn;\n"
            "events { worker_connections 64; }\n"
            f"http {{\n    include {MIME_TYPES};\n    default_type application/octet-stream;\n"
            f"    access_log off;\n{temps}    include {site_conf};\n}}\n")


@contextmanager
def serve_with_nginx(site_dir: Path, prefix: Path):
    """Run nginx on the built `site_dir`; yields the base URL, stops nginx afterwards."""
    assert Path(NGINX).is_file(), f"{NGINX} is missing: `make test` installs Debian's nginx"
    port = free_port()
    (prefix / "site.conf").write_text(site_conf_for(site_dir, port), encoding="utf-8")
    conf = prefix / "nginx.conf"
    conf.write_text(main_conf(prefix, prefix / "site.conf"), encoding="utf-8")
    command = [NGINX, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")]
    check = subprocess.run([*command, "-t"], capture_output=True, text=True)
    assert check.returncode == 0, f"nginx rejects the config:\n{check.stderr}"
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        wait_for_port(port, server)
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()   # SIGTERM: nginx's fast shutdown
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

"""The deploy recipes point at what the build really makes (as far as this machine can try them).

nginx is served for real in tests/test_deploy_nginx.py; Netlify, Cloudflare
Pages and GitHub Pages cannot be reached from here, so their files are
checked against the build: same command, same output folder.
"""
from __future__ import annotations

import tomllib

import yaml

from feeling_safe.publishing.security_headers import APACHE_FILE, APACHE_SERVER_FILE, HEADERS_FILE, NGINX_FILE
from sitebuild import ROOT, site_config

SITE_DIR = site_config()["site_dir"]


def test_netlify_and_cloudflare_build_with_make_into_the_site_folder(site_dir):
    config = tomllib.loads((ROOT / "netlify.toml").read_text(encoding="utf-8"))
    assert config["build"]["command"] == "make build"
    assert config["build"]["publish"] == SITE_DIR
    assert (site_dir / HEADERS_FILE).is_file(), "the host reads _headers from the published folder"
    assert "\nbuild:" in (ROOT / "Makefile").read_text(encoding="utf-8")


def test_github_pages_workflow_builds_and_uploads_the_site_folder():
    workflow = yaml.safe_load((ROOT / ".github/workflows/pages.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    assert any(step.get("run") == "make build" for step in steps)
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == SITE_DIR
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in deploy["steps"])
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}


def test_nginx_config_includes_the_headers_the_build_writes(site_dir):
    text = (ROOT / "deploy/nginx/site.conf").read_text(encoding="utf-8")
    root = next(line.split()[1].rstrip(";") for line in text.splitlines() if line.strip().startswith("root "))
    assert f"include {root}/{NGINX_FILE};" in text
    assert (site_dir / NGINX_FILE).is_file()


def test_apache_config_includes_the_headers_the_build_writes_and_allows_its_htaccess(site_dir):
    text = (ROOT / "deploy/apache/site.conf").read_text(encoding="utf-8")
    root = next(line.split()[1] for line in text.splitlines() if line.strip().startswith("DocumentRoot "))
    assert f"Include {root}/{APACHE_SERVER_FILE}" in text and f"<Directory {root}>" in text
    assert "AllowOverride FileInfo Indexes" in text
    assert (site_dir / APACHE_FILE).is_file() and (site_dir / APACHE_SERVER_FILE).is_file()
    assert "apache:" in (ROOT / "Makefile").read_text(encoding="utf-8")

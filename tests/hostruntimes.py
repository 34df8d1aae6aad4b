"""The `_headers` hosts' own local runtimes, started on loopback with a built site, offline.

- Cloudflare Pages: `wrangler pages dev` (workerd runs `_worker.js`; Cloudflare's Pages asset
  server applies `_headers` and `_redirects`, and `_routes.json` sends the worker the oEmbed
  endpoint and the host files).
- Netlify: `netlify dev --offline` with the repository's netlify.toml, serving the folder
  with Netlify's header and redirect rules (its static server, no framework) and running the
  oEmbed edge function (netlify/edge-functions/oembed.js) in Deno.

Both are devDependencies in package.json at exact versions (`make node` installs them).
Nothing they run may reach the network: every Node process of theirs loads
tests/no_network.cjs, which refuses and logs any connection off this machine (and keeps
their servers on loopback: `netlify dev` would listen on every interface); their
telemetry, metrics, error reports and update checks are switched off by the variables and
flags each documents. Edge functions: netlify-cli runs the first `deno` on PATH that fits
its range (^2.4.2; else it downloads one): the npm package `deno` (exact, devDependency) puts
its binary in node_modules/.bin, first on PATH here; the edge runtime's bootstrap, which
netlify-cli would import from edge.netlify.com, comes from @netlify/edge-functions-dev
(installed with netlify-cli) through tests/netlify_edge_bootstrap.mjs (NETLIFY_EDGE_BOOTSTRAP).
Two reaches for the network remain, both refused and both harmless: netlify-cli asks
edge.netlify.com for its newest TypeScript types on every start (logged; the test allows that
one line), and its Deno config reader imports a types file from there, fails to resolve the
name, and netlify-cli falls back to netlify.toml's declaration. workerd and Deno are not Node:
no_network.cjs cannot see them; the worker and the edge function fetch only their own site.
"""
from __future__ import annotations

import os
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from feeling_safe.measuring.localserver import free_port
from served import get
from sitebuild import ROOT

NODE_BIN = ROOT / "node_modules" / ".bin"
NO_NETWORK = ROOT / "tests" / "no_network.cjs"
EDGE_BOOTSTRAP = ROOT / "tests" / "netlify_edge_bootstrap.mjs"   # @netlify/edge-functions-dev's, on loopback
# A date the pinned workerd supports (wrangler warns, and looks for a newer wrangler, past its own).
COMPATIBILITY_DATE = "2026-04-01"
# Netlify's CLI loads some 400 MB of modules: about 20 s of CPU, 86 s seen on a 2-core machine at load 15.
READY_WITHIN = 300.0


@dataclass
class Runtime:
    name: str
    folder: Path
    process: subprocess.Popen | None = None
    url: str = ""
    startup: float = 0.0       # seconds from start to the first page served
    problem: str = ""          # why it did not start
    _started: float = field(default=0.0, repr=False)

    @property
    def network_log(self) -> Path:
        return self.folder / "network.log"

    @property
    def output(self) -> Path:
        return self.folder / "output.log"

    def attempts(self) -> list[str]:
        """Connections off this machine that its Node processes tried (and were refused)."""
        return self.network_log.read_text(encoding="utf-8").splitlines() if self.network_log.exists() else []

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.output.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])

    def wait_ready(self) -> None:
        """Return once the home page is served; record the startup time, or the reason it failed."""
        if self.problem or self.startup:
            return
        deadline = self._started + READY_WITHIN
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.problem = f"{self.name} exited with {self.process.returncode}:\n{self.tail()}"
                return
            try:
                if get(self.url, timeout=5).status == 200:
                    self.startup = time.monotonic() - self._started
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.problem = f"{self.name} served nothing within {READY_WITHIN:.0f} s:\n{self.tail()}"

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)  # its own session: the CLI and the servers it started
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def offline_env(folder: Path, network_log: Path) -> dict[str, str]:
    """The environment both CLIs run in: own home and config, no proxies, no telemetry."""
    env = {name: value for name, value in os.environ.items() if not name.lower().endswith("_proxy")}
    home = folder / "home"
    (home / ".config" / "netlify").mkdir(parents=True, exist_ok=True)
    # Netlify's CLI reads its own switch from its global config (`netlify --telemetry-disable` writes it).
    (home / ".config" / "netlify" / "config.json").write_text('{"telemetryDisabled": true}\n', encoding="utf-8")
    env.update({
        "NODE_OPTIONS": f"{env.get('NODE_OPTIONS', '')} --require {NO_NETWORK}".strip(),
        "NO_NETWORK_LOG": str(network_log),
        "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"), "XDG_CACHE_HOME": str(home / ".cache"),
        "CI": "true",                              # no prompts; Netlify sends no telemetry in CI
        "NO_COLOR": "1", "BROWSER": "none",
        "WRANGLER_SEND_METRICS": "false", "WRANGLER_SEND_ERROR_REPORTS": "false",
        "WRANGLER_HIDE_BANNER": "true",            # the banner asks the npm registry for a newer wrangler
        "CLOUDFLARE_CF_FETCH_ENABLED": "false",    # miniflare's request.cf data: its built-in copy
        "WRANGLER_LOG_PATH": str(folder / "wrangler-logs"),
        # Netlify's edge functions run in Deno: the npm package's binary, found first on PATH
        # (netlify-cli would otherwise download one), with its own cache, and the edge runtime's
        # bootstrap from the installed @netlify/edge-functions-dev instead of Netlify's servers.
        "PATH": f"{NODE_BIN}{os.pathsep}{env.get('PATH', '')}",
        "DENO_DIR": str(folder / "deno"),
        "DENO_NO_UPDATE_CHECK": "1",
        "NETLIFY_EDGE_BOOTSTRAP": EDGE_BOOTSTRAP.as_uri(),
    })
    return env


def _start(runtime: Runtime, command: list[str], cwd: Path, port: int) -> Runtime:
    if not Path(command[0]).is_file():
        runtime.problem = f"{command[0]} is missing: `make node` installs it (package.json)"
        return runtime
    runtime.url = f"http://127.0.0.1:{port}/"
    with runtime.output.open("w", encoding="utf-8") as output:
        runtime._started = time.monotonic()
        runtime.process = subprocess.Popen(command, cwd=cwd, env=offline_env(runtime.folder, runtime.network_log),
                                           stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
                                           start_new_session=True)
    return runtime


def start_cloudflare(site_dir: Path, folder: Path) -> Runtime:
    """`wrangler pages dev` on the built folder, as Cloudflare Pages serves it."""
    port = free_port()
    command = [str(NODE_BIN / "wrangler"), "pages", "dev", str(site_dir), "--ip", "127.0.0.1", "--port", str(port),
               "--inspector-port", str(free_port()), "--compatibility-date", COMPATIBILITY_DATE,
               "--persist-to", str(folder / "state"), "--show-interactive-dev-session=false"]
    return _start(Runtime("cloudflare", folder), command, folder, port)


def start_netlify(site_dir: Path, folder: Path) -> Runtime:
    """`netlify dev --offline` in a copy of the project: the repository's netlify.toml, its
    publish folder being the built site, and a free port for the static server behind it."""
    project = folder / "project"
    project.mkdir()
    config = (ROOT / "netlify.toml").read_text(encoding="utf-8")
    (project / "netlify.toml").write_text(f"{config}\n[dev]\n  staticServerPort = {free_port()}\n", encoding="utf-8")
    (project / "site").symlink_to(site_dir, target_is_directory=True)
    # The edge function (netlify.toml) and the worker it imports, where the repository has them.
    for shared in ("netlify", "deploy"):
        (project / shared).symlink_to(ROOT / shared, target_is_directory=True)
    port = free_port()
    command = [str(NODE_BIN / "netlify"), "dev", "--offline", "--dir", "site", "--port", str(port), "--no-open",
               "--skip-gitignore"]
    return _start(Runtime("netlify", folder), command, project, port)


LAUNCHERS = {"cloudflare": start_cloudflare, "netlify": start_netlify}

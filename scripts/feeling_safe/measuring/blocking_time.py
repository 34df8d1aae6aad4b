"""Total Blocking Time: how long a page on a phone keeps the reader's first tap waiting.

Why: a page can look ready and still ignore a tap while its scripts run. A
worried reader on the self-check taps an answer as soon as they see it, so the
work a page does before it goes quiet matters as much as its bytes. Lighthouse
names this Total Blocking Time: every main-thread task longer than 50 ms
between the First Contentful Paint and Time to Interactive blocks input for
the part over 50 ms, and the blocking time is the sum of those parts.

How: Debian's Chromium on Lighthouse's phone profile (the network of
feeling_safe/measuring/search_timing.py: 562.5 ms round trip, 1.6 Mbit/s
down; CPU slowed 4x through the Chrome DevTools Protocol), a fresh profile,
records a performance trace of one visit until the page has been quiet for
longer than the quiet window. From the trace, as Lighthouse reads its own:
the page's main thread is the one that paints its First Contentful Paint;
its tasks are the top-level `RunTask` events there (a task inside another
counts with it); Time to Interactive is the end of the last long task before
the first quiet window after the paint (no long task and at most two
requests in flight for the window's length), or the paint itself; a task
that starts before the paint counts only from the paint on. The result is
observed, not simulated (Lighthouse's default "simulate" mode estimates it
from an unthrottled run), so it is the same measure for ours and the
default Material build, compared side by side on the same machine.
"""
from __future__ import annotations

import json
import statistics
from dataclasses import dataclass

from feeling_safe.measuring.search_timing import CPU_SLOWDOWN, DOWNLOAD_BYTES_PER_S, LATENCY_MS, PHONE, UPLOAD_BYTES_PER_S

LONG_TASK_MS = 50
QUIET_WINDOW_MS = 5000
MAX_QUIET_REQUESTS = 2
# After the network is idle, how long to keep recording: the quiet window, and a margin.
SETTLE_MS = QUIET_WINDOW_MS + 1000
TRACE_CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline", "toplevel", "loading",
                    "blink.user_timing"]
TASK_NAMES = ("RunTask", "ThreadControllerImpl::RunTask", "ThreadControllerImpl::DoWork")


@dataclass(frozen=True)
class Blocking:
    """One visit: the blocking time and what it was read from (milliseconds from navigation's
    first trace event)."""
    total_ms: float
    first_paint_ms: float
    interactive_ms: float
    long_tasks: tuple[tuple[float, float], ...]   # (start, duration) of each task over 50 ms after the paint


def _main_thread_paint(events: list[dict]) -> tuple[int, int, float] | None:
    """(pid, tid, time in µs) of the page's first contentful paint."""
    paints = [e for e in events if e.get("name") == "firstContentfulPaint"]
    if not paints:
        return None
    first = min(paints, key=lambda e: e["ts"])
    return first["pid"], first["tid"], float(first["ts"])


def top_level_tasks(events: list[dict], pid: int, tid: int) -> list[tuple[float, float]]:
    """(start µs, duration µs) of the tasks on one thread, nested tasks folded into theirs."""
    tasks = sorted(((float(e["ts"]), float(e.get("dur", 0))) for e in events
                    if e.get("ph") == "X" and e.get("name") in TASK_NAMES and e["pid"] == pid and e["tid"] == tid),
                   key=lambda task: (task[0], -task[1]))
    top, end = [], float("-inf")
    for start, duration in tasks:
        if start >= end:
            top.append((start, duration))
            end = start + duration
    return top


def requests(events: list[dict]) -> list[tuple[float, float]]:
    """(start µs, end µs) of each network request in the trace (end: infinity if it never ended)."""
    started: dict[str, float] = {}
    ended: dict[str, float] = {}
    for event in events:
        data = (event.get("args") or {}).get("data") or {}
        request = data.get("requestId")
        if request is None:
            continue
        if event.get("name") == "ResourceSendRequest":
            started.setdefault(request, float(event["ts"]))
        elif event.get("name") == "ResourceFinish":
            ended[request] = float(event["ts"])
    return [(start, ended.get(request, float("inf"))) for request, start in started.items()]


def _quiet(start: float, tasks: list[tuple[float, float]], spans: list[tuple[float, float]]) -> bool:
    """No long task and at most two requests in flight from `start` for the quiet window (µs)."""
    end = start + QUIET_WINDOW_MS * 1000
    if any(start <= task_start < end for task_start, _ in tasks):
        return False
    moments = [start] + [s for s, _ in spans if start < s < end]
    return all(sum(1 for s, e in spans if s <= moment < e) <= MAX_QUIET_REQUESTS for moment in moments)


def blocking_from_trace(events: list[dict]) -> Blocking:
    """The blocking time of one recorded visit (see the module docstring)."""
    found = _main_thread_paint(events)
    if found is None:
        raise ValueError("the trace holds no first contentful paint")
    pid, tid, paint = found
    origin = min(float(e["ts"]) for e in events if e.get("ts"))
    long = [(max(start, paint), start + duration) for start, duration in top_level_tasks(events, pid, tid)
            if start + duration > paint and start + duration - max(start, paint) > LONG_TASK_MS * 1000]
    spans = requests(events)
    interactive = next((candidate for candidate in [paint] + [end for _, end in long]
                        if _quiet(candidate, [(s, e) for s, e in long if s >= candidate], spans)), None)
    if interactive is None:
        raise ValueError("the page did not go quiet while it was recorded")
    counted = [(start, end) for start, end in long if end <= interactive]
    total = sum((end - start) / 1000 - LONG_TASK_MS for start, end in counted)
    return Blocking(total_ms=total, first_paint_ms=(paint - origin) / 1000, interactive_ms=(interactive - origin) / 1000,
                    long_tasks=tuple(((start - origin) / 1000, (end - start) / 1000) for start, end in counted))


def visit_blocking(browser, url: str, timeout_ms: float = 120_000) -> Blocking:
    """One first visit to `url` in a fresh profile on the throttled phone profile, traced."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": LATENCY_MS,
                                                       "downloadThroughput": DOWNLOAD_BYTES_PER_S,
                                                       "uploadThroughput": UPLOAD_BYTES_PER_S})
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        browser.start_tracing(page=page, categories=TRACE_CATEGORIES)
        try:
            page.goto(url, wait_until="networkidle", timeout=timeout_ms)
            page.wait_for_timeout(SETTLE_MS)
        finally:
            trace = browser.stop_tracing()
        return blocking_from_trace(json.loads(trace)["traceEvents"])
    finally:
        context.close()


def total_blocking_time(browser, url: str) -> float:
    """Milliseconds of Total Blocking Time on one first visit to `url` (see the module docstring)."""
    return visit_blocking(browser, url).total_ms


def median_blocking_times(browser, urls: dict[str, str], runs: int = 5) -> dict[str, list[float]]:
    """{name: the blocking times of `runs` visits, sorted} for each named URL, the sites
    alternated run by run so that a busy moment of the machine falls on both."""
    times: dict[str, list[float]] = {name: [] for name in urls}
    for _ in range(runs):
        for name, url in urls.items():
            times[name].append(total_blocking_time(browser, url))
    return {name: sorted(values) for name, values in times.items()}


def median(values: list[float]) -> float:
    return statistics.median(values)

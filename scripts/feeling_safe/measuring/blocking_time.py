"""Total Blocking Time: how long a page on a phone keeps the reader's first tap waiting.

Why: a page can look ready and still ignore a tap while its scripts run. A
worried reader on the self-check taps an answer as soon as they see it, so the
work a page does before it goes quiet matters as much as its bytes. Lighthouse
names this Total Blocking Time: every main-thread task longer than 50 ms
between the First Contentful Paint and Time to Interactive blocks input for
the part over 50 ms, and the blocking time is the sum of those parts.

How: Debian's Chromium on Lighthouse's phone profile (feeling_safe/measuring/phone.py:
562.5 ms round trip, 1.47 Mbit/s down, CPU slowed 4x), a fresh profile,
records a performance trace of one visit until the page has gone quiet (no
long task, as the page's own Long Tasks API reports them, for 6 s, and the
network idle). From the trace, as Lighthouse reads its own:
the page's main thread is the one that paints its First Contentful Paint;
its tasks are the top-level `RunTask` events there (a task inside another
counts with it); Time to Interactive is the start, not before the paint, of
the first stretch without long tasks that overlaps a stretch with at most
two requests in flight by the whole quiet window (Lighthouse's 5 s): the end
of the last long task before the page went quiet. Each task is cut to the
span from the paint to Time to Interactive before its excess over 50 ms is
counted; a recording without a quiet window counts every task after the
paint (and says so). A request the trace never sees finish (cancelled,
or answered from the cache) ends with the last the trace says of it.

The result is observed, not simulated (Lighthouse's default "simulate" mode
estimates it from an unthrottled run), so it is the same measure for ours and
the default Material build, compared side by side on the same machine. On a
machine whose cores other work shares, the wall clock makes a short task look
long whenever the system sets the browser aside: compare sites alternated
run by run (`median_blocking_times`), several runs each. (A task's thread CPU
time is no steadier measure under the DevTools CPU slowdown: the trace's
`tdur` then holds part of the slowdown.)
"""
from __future__ import annotations

import json
import statistics
from dataclasses import dataclass

from feeling_safe.measuring.phone import phone_page

LONG_TASK_MS = 50
QUIET_WINDOW_MS = 5000
MAX_QUIET_REQUESTS = 2
# Recording goes on until the page has had no long task for the quiet window and this margin.
SETTLE_MS = 1000
# The page notes when its last long task ended (the Long Tasks API), so the recording knows
# when the page has gone quiet.
_WATCH_LONG_TASKS = """
window.__lastLongTaskEnd = 0;
new PerformanceObserver((list) => {
  for (const task of list.getEntries()) {
    window.__lastLongTaskEnd = Math.max(window.__lastLongTaskEnd, task.startTime + task.duration);
  }
}).observe({ type: "longtask", buffered: true });
"""
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
    quiet: bool = True                            # False: no quiet window was recorded (all tasks counted)


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
    """(start µs, end µs) of each network request in the trace: from its sending to its finish,
    or to the last the trace says of it (a request cancelled or left to the cache may not finish)."""
    started: dict[str, float] = {}
    ended: dict[str, float] = {}
    for event in events:
        data = (event.get("args") or {}).get("data") or {}
        request = data.get("requestId")
        if request is None or not str(event.get("name", "")).startswith("Resource"):
            continue
        if event.get("name") == "ResourceSendRequest":
            started.setdefault(request, float(event["ts"]))
        ended[request] = max(ended.get(request, float("-inf")), float(event["ts"]))
    return [(start, max(start, ended.get(request, start))) for request, start in started.items()]


def network_quiet_periods(spans: list[tuple[float, float]], trace_end: float) -> list[tuple[float, float]]:
    """(start, end) µs of each stretch with at most two requests in flight, in order."""
    changes = sorted([(start, 1) for start, _ in spans] + [(end, -1) for _, end in spans if end != float("inf")])
    periods, in_flight, quiet_from = [], 0, float("-inf")
    for at, change in changes:
        before = in_flight
        in_flight += change
        if before <= MAX_QUIET_REQUESTS < in_flight:
            periods.append((quiet_from, at))
        elif in_flight <= MAX_QUIET_REQUESTS < before:
            quiet_from = at
    if in_flight <= MAX_QUIET_REQUESTS:
        periods.append((quiet_from, trace_end))
    return periods


def cpu_quiet_periods(tasks: list[tuple[float, float]], trace_end: float) -> list[tuple[float, float]]:
    """(start, end) µs of each stretch between long tasks ((start, end) µs), in order."""
    periods, last_end = [], float("-inf")
    for start, end in sorted(tasks):
        if start > last_end:
            periods.append((last_end, start))
        last_end = max(last_end, end)
    periods.append((last_end, trace_end))
    return periods


def interactive_at(paint: float, tasks: list[tuple[float, float]], spans: list[tuple[float, float]],
                   trace_end: float) -> float | None:
    """Time to Interactive (µs), as Lighthouse finds it: the start (not before the paint) of
    the first stretch without long tasks ((start, end) µs, the whole trace's) that overlaps a
    stretch with at most two requests in flight by the whole quiet window; None if the
    recording holds none."""
    window = QUIET_WINDOW_MS * 1000

    def long_enough(period: tuple[float, float]) -> bool:
        return period[1] > paint + window and period[1] - period[0] >= window

    cpu = [period for period in cpu_quiet_periods(tasks, trace_end) if long_enough(period)]
    network = [period for period in network_quiet_periods(spans, trace_end) if long_enough(period)]
    i = j = 0
    while i < len(cpu) and j < len(network):
        (cpu_start, cpu_end), (net_start, net_end) = cpu[i], network[j]
        if cpu_start >= net_start:
            if net_end >= cpu_start + window:
                return max(cpu_start, paint)
            j += 1
        else:
            if cpu_end >= net_start + window:
                return max(cpu_start, paint)
            i += 1
    return None


def blocking_from_trace(events: list[dict]) -> Blocking:
    """The blocking time of one recorded visit (see the module docstring)."""
    found = _main_thread_paint(events)
    if found is None:
        raise ValueError("the trace holds no first contentful paint")
    pid, tid, paint = found
    timed = [e for e in events if "ts" in e and e.get("ph") != "M"]  # metadata events say 0
    origin = min(float(e["ts"]) for e in timed)
    trace_end = max(float(e["ts"]) + float(e.get("dur", 0)) for e in timed)
    tasks = [(start, start + duration) for start, duration in top_level_tasks(events, pid, tid)]
    interactive = interactive_at(paint, [(s, e) for s, e in tasks if e - s > LONG_TASK_MS * 1000],
                                 requests(events), trace_end)
    quiet = interactive is not None
    if not quiet:  # as if it went quiet when the recording ended: every long task after the paint counts
        interactive = trace_end
    # Each task between the paint and Time to Interactive, cut to that span, over 50 ms.
    counted = [(max(start, paint), min(end, interactive)) for start, end in tasks
               if min(end, interactive) - max(start, paint) > LONG_TASK_MS * 1000]
    total = sum((end - start) / 1000 - LONG_TASK_MS for start, end in counted)
    return Blocking(total_ms=total, first_paint_ms=(paint - origin) / 1000, interactive_ms=(interactive - origin) / 1000,
                    long_tasks=tuple(((start - origin) / 1000, (end - start) / 1000) for start, end in counted),
                    quiet=quiet)


def visit_trace(browser, url: str, timeout_ms: float = 120_000) -> list[dict]:
    """The trace events of one first visit to `url` in a fresh profile on the throttled phone
    profile, recorded until the page has gone quiet."""
    context, page, _ = phone_page(browser)
    try:
        page.add_init_script(_WATCH_LONG_TASKS)
        browser.start_tracing(page=page, categories=TRACE_CATEGORIES)
        try:
            page.goto(url, wait_until="networkidle", timeout=timeout_ms)
            # A function, not an expression: the page's Content-Security-Policy refuses eval.
            page.wait_for_function(f"() => performance.now() - window.__lastLongTaskEnd > {QUIET_WINDOW_MS + SETTLE_MS}",
                                   polling=250, timeout=timeout_ms)
            page.wait_for_load_state("networkidle")
        finally:
            trace = browser.stop_tracing()
        return json.loads(trace)["traceEvents"]
    finally:
        context.close()


def visit_blocking(browser, url: str) -> Blocking:
    """One first visit to `url`, traced (`visit_trace`), and its blocking time."""
    return blocking_from_trace(visit_trace(browser, url))


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

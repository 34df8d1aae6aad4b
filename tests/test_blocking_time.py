"""Total Blocking Time read from a trace as Lighthouse reads it (feeling_safe/measuring/blocking_time.py),
on made-up traces whose answer is known."""
from __future__ import annotations

import pytest

from feeling_safe.measuring.blocking_time import blocking_from_trace

MAIN, OTHER = (1, 10), (1, 11)
MS = 1000  # trace times are in microseconds


def paint(at_ms: float, thread=MAIN) -> dict:
    return {"name": "firstContentfulPaint", "ph": "R", "pid": thread[0], "tid": thread[1], "ts": at_ms * MS}


def task(start_ms: float, dur_ms: float, thread=MAIN, name: str = "RunTask") -> dict:
    return {"name": name, "ph": "X", "pid": thread[0], "tid": thread[1], "ts": start_ms * MS, "dur": dur_ms * MS}


def end(at_ms: float = 20_000) -> dict:
    """The recording's last event: it went on long enough for a quiet window."""
    return {"name": "TracingEnd", "ph": "I", "pid": 2, "tid": 20, "ts": at_ms * MS}


def request(key: str, start_ms: float, end_ms: float | None) -> list[dict]:
    events = [{"name": "ResourceSendRequest", "ph": "I", "pid": 1, "tid": 10, "ts": start_ms * MS,
               "args": {"data": {"requestId": key}}}]
    if end_ms is not None:
        events.append({"name": "ResourceFinish", "ph": "I", "pid": 1, "tid": 10, "ts": end_ms * MS,
                       "args": {"data": {"requestId": key}}})
    return events


def test_the_excess_over_50_ms_of_each_long_task_after_the_paint():
    events = [task(0, 1), paint(100), task(200, 120), task(400, 40), task(500, 90), task(900, 30), end()]
    result = blocking_from_trace(events)
    assert result.total_ms == pytest.approx(70 + 40)
    assert result.interactive_ms == pytest.approx(590)


def test_a_task_across_the_paint_counts_from_the_paint_and_tasks_before_it_not_at_all():
    events = [task(0, 300), paint(100), task(350, 100), end()]  # 200 ms after the paint, then 100
    assert blocking_from_trace(events).total_ms == pytest.approx(150 + 50)
    assert blocking_from_trace([task(0, 90), paint(100), task(150, 40), end()]).total_ms == 0


def test_nested_tasks_count_once_and_other_threads_not_at_all():
    events = [paint(0), task(100, 200), task(120, 150, name="ThreadControllerImpl::DoWork"), task(100, 500, OTHER),
              end()]
    assert blocking_from_trace(events).total_ms == pytest.approx(150)


def test_a_long_task_after_the_quiet_window_is_not_counted():
    events = [paint(0), task(100, 100), task(7000, 300), end()]
    result = blocking_from_trace(events)
    assert result.total_ms == pytest.approx(50)
    assert result.interactive_ms == pytest.approx(200)


def test_the_quiet_window_waits_for_requests_to_settle():
    # 5.2 s without a long task: quiet, unless three requests are in flight until 3 s; then
    # the stretch after the paint is too short once the network settles, and the task at 5.4 s counts.
    tasks = [paint(0), task(100, 100), task(5400, 80), end()]
    assert blocking_from_trace(tasks + request("a", 0, 3000) + request("b", 0, 3000)).total_ms == pytest.approx(50)
    busy = tasks + request("a", 0, 3000) + request("b", 0, 3000) + request("c", 0, 3000)
    result = blocking_from_trace(busy)
    assert result.total_ms == pytest.approx(50 + 30)
    assert result.interactive_ms == pytest.approx(5480)


def test_a_short_gap_between_long_tasks_is_not_quiet():
    assert blocking_from_trace([paint(0), task(100, 100), task(2500, 80), end()]).total_ms == pytest.approx(80)


def test_a_trace_without_a_paint_is_refused_and_one_that_never_goes_quiet_counts_every_task():
    with pytest.raises(ValueError, match="no first contentful paint"):
        blocking_from_trace([task(0, 100)])
    never_quiet = [paint(0), *[task(t, 60) for t in range(100, 20000, 1000)]]
    result = blocking_from_trace(never_quiet)
    assert not result.quiet
    assert result.total_ms == pytest.approx(20 * 10)


def test_a_request_that_never_finishes_ends_with_the_last_the_trace_says_of_it():
    events = [paint(0), task(100, 100), task(5400, 80), end(), *request("a", 0, 3000), *request("b", 0, 3000),
              *request("c", 0, None)]
    assert blocking_from_trace(events).total_ms == pytest.approx(50)


"""Status history: two-run confirmation, dates, dropped URLs, stable YAML."""

from linkcheck import LinkResult, dump_history, entry_reason, load_history, save_history, update_history

URL = "https://school.example/plan.pdf"
OTHER = "https://school.example/report.pdf"


def result(url=URL, verdict="ok", status=200, skipped=False, moved=None):
    code = {"ok": "ok", "warning": "forbidden", "broken": "not_found"}[verdict]
    return LinkResult(url, verdict, code, status, url, 1, 0.1, "2025-01-01T00:00:00Z",
                      permanent_redirect=moved, skipped=skipped, reason_params={"status": status})


BROKEN = dict(verdict="broken", status=404)
BROKEN_TEXT = "страница или документ не найдены (ошибка 404) — вероятно, материал удалён или перенесён"


def test_first_failure_is_announced_as_warning():
    h = update_history({}, [result(**BROKEN)], "2025-03-01")
    e = h[URL]
    assert e["verdict"] == "warning" and e["last_verdict"] == "broken"
    assert e["consecutive_failures"] == 1 and e["failing_since"] == "2025-03-01"
    assert (e["reason_code"], e["reason_params"]) == ("not_found", {"status": 404})
    assert "следующей проверке" in entry_reason(e, URL) and "404" in entry_reason(e, URL)
    assert e["last_ok"] is None


def test_second_failure_is_announced_as_broken():
    h1 = update_history({}, [result(**BROKEN)], "2025-03-01")
    h2 = update_history(h1, [result(**BROKEN)], "2025-03-02")
    e = h2[URL]
    assert (e["verdict"], e["consecutive_failures"], e["failing_since"]) == ("broken", 2, "2025-03-01")
    assert entry_reason(e, URL) == BROKEN_TEXT
    # Two runs on the same day are still two runs.
    h3 = update_history(h1, [result(**BROKEN)], "2025-03-01")
    assert h3[URL]["verdict"] == "broken"


def test_ok_resets_the_streak_and_records_last_ok():
    h = update_history({}, [result()], "2025-03-01")
    h = update_history(h, [result(**BROKEN)], "2025-03-02")
    h = update_history(h, [result(**BROKEN)], "2025-03-03")
    assert h[URL]["last_ok"] == "2025-03-01"
    h = update_history(h, [result()], "2025-03-04")
    e = h[URL]
    assert (e["verdict"], e["failing_since"], e["consecutive_failures"], e["last_ok"]) == (
        "ok", None, 0, "2025-03-04")


def test_failure_after_recovery_starts_a_new_streak():
    h = update_history({}, [result(**BROKEN)], "2025-03-01")
    h = update_history(h, [result()], "2025-03-02")
    h = update_history(h, [result(**BROKEN)], "2025-03-03")
    assert (h[URL]["verdict"], h[URL]["failing_since"]) == ("warning", "2025-03-03")


def test_warning_is_not_a_failure_streak():
    h = update_history({}, [result(**BROKEN)], "2025-03-01")
    h = update_history(h, [result(verdict="warning", status=403)], "2025-03-02")
    e = h[URL]
    assert (e["verdict"], e["failing_since"], e["consecutive_failures"]) == ("warning", None, 0)


def test_urls_gone_from_data_are_dropped_and_skipped_kept():
    h = update_history({}, [result(), result(OTHER)], "2025-03-01")
    assert set(h) == {URL, OTHER}
    h2 = update_history(h, [result()], "2025-03-02")
    assert set(h2) == {URL}
    h3 = update_history(h, [result(), result(OTHER, verdict="warning", skipped=True)], "2025-03-02")
    assert h3[OTHER] == h[OTHER]


def test_permanent_redirect_is_kept_in_history():
    h = update_history({}, [result(moved="https://new.example/plan.pdf")], "2025-03-01")
    assert h[URL]["permanent_redirect"] == "https://new.example/plan.pdf"
    assert "permanent_redirect" not in update_history({}, [result()], "2025-03-01")[URL]


def test_yaml_is_sorted_deterministic_and_round_trips(tmp_path):
    h = update_history({}, [result(OTHER), result(**BROKEN)], "2025-03-01")
    text = dump_history(h)
    assert text == dump_history(dict(reversed(list(h.items()))))
    assert text.index(URL) < text.index(OTHER)
    path = tmp_path / "link_status.yaml"
    assert save_history(path, h) is True
    assert save_history(path, h) is False  # unchanged content is not rewritten
    assert load_history(path) == h
    assert load_history(tmp_path / "absent.yaml") == {}
    assert "checked_at" not in text and "elapsed" not in text


def test_previous_history_is_not_mutated():
    h1 = update_history({}, [result(**BROKEN)], "2025-03-01")
    snapshot = {k: dict(v) for k, v in h1.items()}
    update_history(h1, [result()], "2025-03-02")
    assert h1 == snapshot

"""The console's building blocks: evidence pieces, charts, statement templates."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clearspace.console.charts import Series, bars, hbars, nice_scale, stacked_bars
from clearspace.console.highlight import pieces
from clearspace.console.templates_data import statement_templates

span = st.tuples(st.integers(-5, 60), st.integers(-5, 60))
signal = st.fixed_dictionaries({"kind": st.sampled_from(["insult", "pii.phone", "incitement", "lexicon.threat"]),
                                "spans": st.lists(span, max_size=3)})


@given(st.text(max_size=50), st.lists(signal, max_size=4))
def test_pieces_give_the_text_back_and_cover_only_their_spans(text: str, signals: list[dict]) -> None:
    parts = pieces(text, signals)
    assert "".join(p.text for p in parts) == text
    position = 0
    for part in parts:
        for kind in part.kinds:
            assert any(s["kind"] == kind and max(0, a) <= position and position + len(part.text) <= min(len(text), b)
                       for s in signals for a, b in s["spans"])
        position += len(part.text)


def test_pieces_mark_overlapping_detectors_and_mask_only_lexicon_hits() -> None:
    text = "call 13800001234 you idiot"
    parts = pieces(text, [{"kind": "pii.phone", "spans": [[5, 16]]}, {"kind": "lexicon.insult", "spans": [[21, 26]]},
                          {"kind": "doxxing", "spans": [[0, 16]]}, {"kind": "bad", "spans": [["x", 3]]}])
    marked = [(p.text, p.kinds, p.family, p.slur) for p in parts if p.kinds]
    assert marked == [("call ", ("doxxing",), "pii", False), ("13800001234", ("doxxing", "pii.phone"), "pii", False),
                      ("idiot", ("lexicon.insult",), "abuse", True)]


def test_the_models_ngram_evidence_is_highlighted_but_never_masked() -> None:
    # 你就是个傻逼: the model's spans are the n-grams that moved its score (就是), the lexicon's the slur
    text = "你就是个傻逼"
    parts = pieces(text, [{"kind": "abuse", "spans": [[1, 3]], "detector": "abuse-model@1"},
                          {"kind": "insult", "spans": [[1, 3]], "detector": "abuse-model@1"},
                          {"kind": "lexicon.insult", "spans": [[4, 6]], "detector": "lexicon@1"}])
    assert [(p.text, p.slur) for p in parts if p.kinds] == [("就是", False), ("傻逼", True)]
    assert [p.text for p in parts if p.kinds and p.family == "abuse"] == ["就是", "傻逼"]  # both highlighted


def test_nice_scale_steps() -> None:
    assert nice_scale(0) == (1.0, 0.25)
    assert nice_scale(5) == (6.0, 2.0)
    assert nice_scale(14) == (15.0, 5.0)
    assert nice_scale(3) == (3.0, 1.0)
    assert nice_scale(0.3) == pytest.approx((0.3, 0.1))


def test_stacked_bars_draw_every_nonzero_value_and_tabulate_all() -> None:
    svg = stacked_bars("Actions", ["2026-01-01", "2026-01-02"], [Series("abuse", [2, 0]), Series("threat", [1, 4])],
                       chart_id="c1")
    assert svg.count("<rect class='bar'") == 3
    assert "role='img'" in svg and "<title id='c1-t'>Actions</title>" in svg
    cells = re.findall(r"<td>(\d+)</td>", svg)
    assert cells == ["2", "1", "0", "4"]
    assert ">01-02<" in svg  # dates are shortened on the axis, not in the table
    with pytest.raises(ValueError):
        stacked_bars("x", ["a"], [Series("s", [1, 2])], chart_id="c2")


def test_text_in_charts_is_escaped() -> None:
    svg = hbars("<b>", [("<script>", 1.5)], chart_id="c3")
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "1.50" in svg


def test_statement_templates_cover_the_policy_categories() -> None:
    templates = statement_templates()
    for category in ("abuse", "hate", "threat", "doxxing", "incitement", "other"):
        assert templates[category]["en"] and templates[category]["zh"]


def _bars(svg: str, series: str) -> list[tuple[float, float, float, float]]:
    """``(x, y, width, height)`` of each bar of one series."""
    return [tuple(float(v) for v in m) for m in re.findall(  # type: ignore[misc]
        rf"<rect class='bar' data-series='{series}' x='([\d.]+)' y='([\d.]+)' width='([\d.]+)' height='([\d.]+)'", svg)]


def test_grouped_bars_put_a_subset_beside_its_whole_not_on_top() -> None:
    # 3 appeals filed, 1 of them reversed: drawn as 3 and 1 from the same baseline, never as 4
    svg = bars("Appeals", ["2026-01-01"], [Series("filed", [3]), Series("reversed", [1])], chart_id="ap",
               grouped=True, y_label="appeals", x_label="date")
    (fx, fy, fw, fh), = _bars(svg, "filed")
    (rx, ry, rw, rh), = _bars(svg, "reversed")
    assert fh == pytest.approx(3 * rh, abs=0.3)
    assert fy + fh == pytest.approx(ry + rh, abs=0.2)  # one baseline
    assert rx >= fx + fw  # side by side, not overlapping
    assert max(int(v) for v in re.findall(r"text-anchor='end'>(\d+)</text>", svg)) == 3  # the scale: 3, not 4
    stacked = bars("Appeals", ["2026-01-01"], [Series("filed", [3]), Series("reversed", [1])], chart_id="st")
    (_, sfy, _, _), = _bars(stacked, "filed")
    (_, sry, _, srh), = _bars(stacked, "reversed")
    assert sry + srh == pytest.approx(sfy, abs=0.2)  # stacking puts one on the other: what grouped avoids


def test_charts_have_visible_titles_and_axis_names() -> None:
    svg = stacked_bars("Decisions by day", ["2026-01-01"], [Series("abuse", [2])], chart_id="c9",
                       y_label="decisions", x_label="date (UTC)")
    assert "<figcaption class='chart-title'>Decisions by day</figcaption>" in svg
    assert re.search(r"<text class='axis-label' data-axis='y'[^>]*>decisions</text>", svg)
    assert re.search(r"<text class='axis-label' data-axis='x'[^>]*>date \(UTC\)</text>", svg)
    h = hbars("Median handling time", [("human", 2.5)], chart_id="h1", unit=" h", value_label="median (h)")
    assert "<figcaption class='chart-title'>Median handling time</figcaption>" in h and "2.50 h" in h
    assert "<th scope='col'>median (h)</th>" in h

"""bench/lower_bench.py's layout-noise control: the copies it writes, the order of its rounds, its verdict."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# bench/ is not installed: import it from the checkout, after everything else on sys.path (so
# that `transpiler` stays the installed package under CI's `python -P`)
sys.path.append(str(Path(__file__).resolve().parents[1]))

from bench.lower_bench import (
    EXAMPLES,
    GENERATED,
    HANDWRITTEN,
    LAYOUT_TEST_FILE,
    copies_bench_source,
    copy_benchmark,
    copy_names,
    copy_package_source,
    layout_copy,
    layout_noise_range,
    layout_results,
    parse_bench_output,
    round_order,
    within_layout_noise,
)

EVALUATOR = EXAMPLES / "evaluator"


def test_copy_names_and_benchmarks() -> None:
    assert copy_names(3) == ["hwcopy1", "hwcopy2", "hwcopy3"]
    assert copy_benchmark("hwcopy2") == "BenchmarkEvalHwcopy2"


def test_copy_package_source_changes_only_the_package_clause() -> None:
    src = (EVALUATOR / "handwritten" / "eval.go").read_text()
    out = copy_package_source(src, "hwcopy7")
    old, new = src.splitlines(keepends=True), out.splitlines(keepends=True)
    assert len(old) == len(new)
    assert [(a, b) for a, b in zip(old, new, strict=True) if a != b] == [
        ("package handwritten\n", "package hwcopy7\n")
    ]


def test_copy_package_source_wants_the_clause() -> None:
    with pytest.raises(ValueError):
        copy_package_source("package other\n", "hwcopy1")


def test_copies_bench_source_repeats_the_handwritten_benchmark() -> None:
    bench = (EVALUATOR / "bench_test.tgo").read_text()
    out = copies_bench_source(bench, "example.com/evaluator", ["hwcopy1", "hwcopy2"])
    assert out.count("func BenchmarkEvalHwcopy1(b *testing.B) {") == 1
    assert out.count("func toHwcopy2(e Expr) hwcopy2.Expr {") == 1
    assert '\t"example.com/evaluator/hwcopy1"\n' in out and '\t"example.com/evaluator/hwcopy2"\n' in out
    # the copy's functions, renamed back, are the hand-written benchmark's to the byte
    body = out.split("func toHwcopy2", 1)[1]
    back = (
        ("func toHwcopy2" + body)
        .replace("BenchmarkEvalHwcopy2", HANDWRITTEN)
        .replace("toHwcopy2", "toHandwritten")
        .replace("hwcopy2.", "handwritten.")
    )
    start = bench.index("func toHandwritten")
    assert back.split("\n\n")[0] == bench[start:].split("\n\n")[0]
    hb = bench.index(f"func {HANDWRITTEN}(")
    assert back.split("\n\n")[1].rstrip("\n") == bench[hb:].split("\n\n")[0].rstrip("\n")


def test_copies_bench_source_refuses_what_it_cannot_rename() -> None:
    bench = (
        "func toHandwritten(e Expr) handwritten.Expr {\n\treturn nil\n}\n\n"
        f"func {HANDWRITTEN}(b *testing.B) {{\n\tvar x handwrittenThing\n}}\n"
    )
    with pytest.raises(ValueError):
        copies_bench_source(bench, "m", ["hwcopy1"])
    with pytest.raises(ValueError):  # no hand-written benchmark at all
        copies_bench_source("package evaluator\n", "m", ["hwcopy1"])


def test_layout_copy(tmp_path: Path) -> None:
    dest = tmp_path / "evaluator"
    layout_copy(EVALUATOR, dest, copy_names(2))
    hand = (EVALUATOR / "handwritten" / "eval.go").read_bytes()
    for n in ("hwcopy1", "hwcopy2"):
        copy = (dest / n / "eval.go").read_bytes()
        assert copy == hand.replace(b"\npackage handwritten\n", f"\npackage {n}\n".encode())
    assert "BenchmarkEvalHwcopy2" in (dest / LAYOUT_TEST_FILE).read_text()
    assert not (EVALUATOR / LAYOUT_TEST_FILE).exists()
    assert not (EVALUATOR / "hwcopy1").exists()


def test_round_order_rotates() -> None:
    variants = ["g", "h", "c1", "c2"]
    orders = [round_order(variants, i) for i in range(4)]
    assert orders[0] == variants
    assert orders[1] == ["h", "c1", "c2", "g"]
    assert round_order(variants, 4) == variants
    for order in orders:
        assert sorted(order) == sorted(variants)
    # over len(variants) rounds, each variant runs once in each place
    for place in range(4):
        assert sorted(o[place] for o in orders) == sorted(variants)
    assert round_order([], 3) == []


def test_layout_noise_range_is_a_prediction_interval_of_the_identical_packages() -> None:
    import math
    import statistics

    assert layout_noise_range([]) == (1.0, 1.0)
    # n = 3 identical packages: 1 (the hand-written one), 1.02, 1.04; t(0.975, 2) = 4.303
    logs = [0.0, math.log(1.02), math.log(1.04)]
    half = 4.303 * statistics.stdev(logs) * math.sqrt(1 + 1 / 3)
    lo, hi = layout_noise_range([1.02, 1.04])
    assert lo == pytest.approx(math.exp(statistics.fmean(logs) - half))
    assert hi == pytest.approx(math.exp(statistics.fmean(logs) + half))
    assert lo < 1.0 < 1.04 < hi
    # wider with more spread, and symmetric in log around the mean
    assert layout_noise_range([1.1, 0.9])[1] > layout_noise_range([1.01, 0.99])[1]
    lo, hi = layout_noise_range([1.01, 1.03, 1.02, 1.0])
    mean = statistics.fmean([0.0, *(math.log(r) for r in (1.01, 1.03, 1.02, 1.0))])
    assert math.log(hi) - mean == pytest.approx(mean - math.log(lo))


@pytest.mark.parametrize(
    ("ratio", "copies", "within"),
    [
        (1.012, [1.0, 1.02, 1.01, 1.03], True),
        (1.05, [1.0, 1.02, 1.01, 1.03], True),  # past the copies' range, inside the interval
        (1.08, [1.0, 1.02, 1.01, 1.03], False),
        (0.97, [1.0, 1.02, 1.01, 1.03], False),
        (0.943, [1.093, 1.100, 1.155, 1.109], True),  # the large tree in one run: a wide spread
        (0.85, [1.093, 1.100, 1.155, 1.109], False),
        (1.0, [], True),
        (1.001, [], False),
    ],
)
def test_within_layout_noise(ratio: float, copies: list[float], within: bool) -> None:
    assert within_layout_noise(ratio, copies) is within


def _line(name: str, ns: float) -> str:
    return f"{name}-2   \t 1000\t  {ns} ns/op\t  10.00 nodes\t  0 B/op\t  0 allocs/op"


def test_layout_results() -> None:
    lines = []
    for ns in (100.0, 104.0, 102.0):
        lines += [
            _line(f"{GENERATED}/small", ns + 1),
            _line(f"{HANDWRITTEN}/small", ns),
            _line("BenchmarkEvalHwcopy1/small", ns * 1.02),
            _line("BenchmarkEvalHwcopy2/small", ns * 0.99),
        ]
    lines.append(_line(f"{GENERATED}/large", 5000.0))  # no copies at this size: left out
    lines.append(_line(f"{HANDWRITTEN}/large", 5000.0))
    runs = parse_bench_output("\n".join(lines))
    [lr] = layout_results(runs, ["hwcopy1", "hwcopy2"])
    assert lr.size == "small"
    assert lr.gen_ns == [101.0, 105.0, 103.0]
    assert lr.ratio == pytest.approx(103 / 102)
    assert lr.copy_ratios == pytest.approx([1.02, 0.99])
    assert lr.noise_range == pytest.approx(layout_noise_range([1.02, 0.99]))
    assert lr.within

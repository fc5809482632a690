"""How long one printed document takes: the referral slip as the platform draws it (one Noto
Sans CJK face, subset into the file, bold drawn by stroking) beside two baselines in the same
run: the same page with a second (bold) CJK face, as a first version did, and the same layout
in fpdf2's built-in Helvetica (Latin text, no font to load or subset: the floor).

    .venv/bin/python bench/bench_documents.py [--repeat 10]
"""

from __future__ import annotations

import argparse
import os
import platform as host
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "platform"))
os.environ.setdefault("ZHUANJIE_VAR_DIR", tempfile.mkdtemp(prefix="zhuanjie-bench-"))

from fpdf import FPDF  # noqa: E402

from zhuanjie.documents.pdf import Sheet, faces  # noqa: E402

LINES = [("姓名", "王*国"), ("所在地", "如皋市白蒲镇新华村"), ("需求", "尿毒症透析费用负担重"),
         ("服务机构", "如皋市慈善总会"), ("项目", "大病医疗救助"), ("转介编号", "ZJ-000045-1")]


def ours() -> bytes:
    sheet = Sheet(title="转介单", number="ZJ-000045-1", printed_on=date(2026, 12, 2))
    sheet.qr("https://zhuanjie.example/checkin/ZJ-000045-1", caption="机构扫码登记到达")
    sheet.heading("服务对象")
    for label, value in LINES:
        sheet.line(label, value)
    sheet.signatures(["机构接待人", "服务对象"])
    return sheet.output()


def two_faces() -> bytes:
    face = faces()
    bold = Path(face.path).with_name("NotoSansCJK-Bold.ttc")
    pdf = FPDF()
    pdf.add_font("cjk", fname=face.path, collection_font_number=face.index)
    pdf.add_font("cjk", style="B", fname=str(bold), collection_font_number=face.index)
    pdf.add_page()
    pdf.set_font("cjk", "B", 20)
    pdf.cell(0, 14, "转介单", align="C", new_x="LMARGIN", new_y="NEXT")
    for label, value in LINES:
        pdf.set_font("cjk", "B", 11)
        pdf.cell(32, 7, label)
        pdf.set_font("cjk", size=11)
        pdf.cell(0, 7, value, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def helvetica() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", "B", 20)
    pdf.cell(0, 14, "Referral slip", align="C", new_x="LMARGIN", new_y="NEXT")
    for i, _ in enumerate(LINES):
        pdf.set_font("helvetica", "B", 11)
        pdf.cell(32, 7, f"Label {i}")
        pdf.set_font("helvetica", size=11)
        pdf.cell(0, 7, "Value of the line", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    faces()  # which face: found once per process, like the platform
    results = {}
    for name, draw in (("ours: one CJK face", ours), ("baseline: two CJK faces", two_faces),
                       ("floor: Helvetica, no CJK", helvetica)):
        draw()  # warm
        times, size = [], 0
        for _ in range(args.repeat):
            start = time.perf_counter()
            size = len(draw())
            times.append(time.perf_counter() - start)
        results[name] = (statistics.median(times), max(times), size)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"machine: {host.machine()} {os.cpu_count()} CPUs, {host.platform()}, "
          f"Python {host.python_version()}, load average {load:.1f}")
    ours_median = results["ours: one CJK face"][0]
    print(f"{'document':28} {'median s':>9} {'max s':>7} {'bytes':>8} {'vs ours':>8}")
    for name, (median, worst, size) in results.items():
        print(f"{name:28} {median:9.3f} {worst:7.3f} {size:8d} {median / ours_median:7.2f}x")


if __name__ == "__main__":
    main()

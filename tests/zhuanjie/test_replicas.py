"""Two `zhuanjie serve` processes behind Debian's nginx (deploy/nginx.conf), sharing nothing
but the database: an offer changed through one is ranked with its new text by the other on
its very next request, and through the proxy whichever answers. Runs on the suite's database
kind (the CI's PostgreSQL pass included)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx
import pytest

from tests.zhuanjie.conftest import _free_port, fresh_database
from tests.zhuanjie.factories import make_household, make_need, make_offer, make_user
from zhuanjie.auth import service as auth
from zhuanjie.db import session_scope
from zhuanjie.migrate import upgrade

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
SCHOOL = ("困难学生助学金", "为低保家庭在读高中生提供助学金，资助学费和住宿费。")
BARBER = ("社区老人理发", "志愿者每月上门为行动不便的老人理发、修剪指甲。")


def _nginx_or_skip() -> str:
    if NGINX is None:
        if os.environ.get("CI") == "true":
            pytest.fail("nginx is not installed (python3 dev.py test installs it as root)")
        pytest.skip("nginx is not installed (apt-get install nginx-light)")
    return NGINX


def _wait(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        assert process.poll() is None, process.stderr.read().decode()[-3000:]
        time.sleep(0.2)
    raise AssertionError(f"{url} did not answer")


@contextmanager
def _process(argv: list[str], env: dict, probe: str):
    process = subprocess.Popen(argv, env=env, cwd=ROOT, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait(probe, process)
        yield process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def _serve(url: str, stack: ExitStack) -> str:
    port = _free_port()
    env = dict(os.environ, ZHUANJIE_DATABASE_URL=url, ZHUANJIE_RUN_SCHEDULER="false")
    zhuanjie = str(Path(sys.executable).parent / "zhuanjie")
    base = f"http://127.0.0.1:{port}"
    stack.enter_context(_process(
        [zhuanjie, "serve", "--port", str(port), "--no-scheduler", "--no-access-log"], env,
        base + "/healthz"))
    return base


def _proxy(nginx: str, backends: list[str], stack: ExitStack) -> str:
    prefix = Path(tempfile.mkdtemp(prefix="zj-nginx-"))
    (prefix / "tmp").mkdir()
    port = _free_port()
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    servers = "".join(f"server {b.removeprefix('http://')};\n        " for b in backends)
    conf = conf.replace("server web:8000;\n        ", servers)
    conf = re.sub(r"listen 80;", f"listen 127.0.0.1:{port};", conf)
    conf = conf.replace("worker_processes auto;", "worker_processes 1;")
    (prefix / "nginx.conf").write_text(conf)
    base = f"http://127.0.0.1:{port}"
    stack.enter_context(_process(
        [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"],
        dict(os.environ), base + "/healthz"))
    return base


def _first(base: str, token: str, need_id: int) -> int:
    response = httpx.get(f"{base}/api/v1/needs/{need_id}/matches", timeout=60,
                         headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    ranked = response.json()["ranked"]
    assert len(ranked) == 2, ranked
    return ranked[0]["offer_id"]


def test_an_offer_changed_through_one_replica_is_ranked_anew_by_the_other():
    nginx = _nginx_or_skip()
    with fresh_database() as url, ExitStack() as stack:
        upgrade(url)
        with session_scope(url) as s:
            worker = make_user(s, "caseworker")
            staff = make_user(s, "org_staff")
            kw = {"categories": ("education",), "mode": "cash", "capacity": 10}
            from zhuanjie.models import Organisation

            org = s.get(Organisation, staff.organisation_id)
            school = make_offer(s, org, title=SCHOOL[0], description=SCHOOL[1], **kw)
            barber = make_offer(s, org, title=BARBER[0], description=BARBER[1], **kw)
            need = make_need(s, worker, make_household(s, worker), category="education",
                             title="孩子上高中学费困难",
                             description="女儿读高三，学费和住宿费交不起，希望申请助学金。",
                             amount_needed=None)
            reader = auth.issue_token(s, user=worker)
            writer = auth.issue_token(s, user=staff)
        one, other = _serve(url, stack), _serve(url, stack)
        proxy = _proxy(nginx, [one, other], stack)

        # Both replicas have built their engine index and rank the school grant first.
        assert _first(one, reader, need.id) == school.id
        assert _first(other, reader, need.id) == school.id

        # The organisation swaps the two texts through the first replica only.
        for offer, (title, text) in ((school, BARBER), (barber, SCHOOL)):
            response = httpx.patch(f"{one}/api/v1/offers/{offer.id}", timeout=60,
                                   json={"title": title, "description": text},
                                   headers={"Authorization": f"Bearer {writer}"})
            assert response.status_code == 200, response.text

        # The other replica's very next request ranks with the new texts ...
        assert _first(other, reader, need.id) == barber.id
        # ... and so does whichever replica the proxy picks.
        assert {_first(proxy, reader, need.id) for _ in range(4)} == {barber.id}

#!/usr/bin/env python3
"""Set up and run Zhuanjie with nothing but Python 3.11 (standard library only).

    python3 dev.py run     install into .venv, fill an empty SQLite database with demo data, serve
    python3 dev.py test    install into .venv (with test tools), lint, run the suite on SQLite and
                           on PostgreSQL (127.0.0.1:5432, database `test`)
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / "bin"
CHROMIUM = Path("/usr/bin/chromium")
CJK_FONTS = Path("/usr/share/fonts/opentype/noto")  # Chinese text in screenshots, not boxes
PG_URL = os.environ.get(
    "ZHUANJIE_TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


def sh(*args: str | Path, env: dict | None = None, check: bool = True) -> int:
    return subprocess.run([str(a) for a in args], cwd=ROOT, env=env, check=check).returncode


def ensure_venv(extras: str) -> None:
    """Create .venv and install the project; skipped when pyproject.toml has not changed."""
    if sys.version_info[:2] < (3, 11):
        sys.exit("Python 3.11 or newer is needed: run this with python3.11")
    stamp = VENV / f".installed-{extras or 'base'}"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    if not (BIN / "python").exists():
        say("creating .venv")
        venv.EnvBuilder(with_pip=True).create(VENV)
        sh(BIN / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    say("installing dependencies (first time takes a minute or two)")
    target = f".[{extras}]" if extras else "."
    sh(BIN / "python", "-m", "pip", "install", "--quiet", "-e", target)
    stamp.write_text(digest)


def ensure_chromium() -> None:
    """Page tests drive Debian's Chromium; install it (and CJK fonts) when we may."""
    if CHROMIUM.exists() and CJK_FONTS.exists():
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        say("installing Debian's chromium and CJK fonts for the page tests")
        sh("apt-get", "update", "-qq")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        sh("apt-get", "install", "-y", "-qq", "chromium", "fonts-noto-cjk", env=env)
    else:
        say("chromium is missing and cannot be installed here: page tests will be skipped "
            "(run `sudo apt-get install chromium fonts-noto-cjk`)")


def ensure_fonts() -> None:
    """Printed documents (PDF) draw Chinese with Debian's Noto Sans CJK; install it if we may."""
    if CJK_FONTS.exists():
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        say("installing Debian's CJK fonts for printed documents")
        sh("apt-get", "update", "-qq")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        sh("apt-get", "install", "-y", "-qq", "fonts-noto-cjk", env=env)
    else:
        say("fonts-noto-cjk is missing and cannot be installed here: PDF documents will fail "
            "(run `sudo apt-get install fonts-noto-cjk` or set ZHUANJIE_PDF_FONT)")


def ensure_nginx() -> None:
    """The replica test puts Debian's nginx in front of two servers; install it when we may."""
    if shutil.which("nginx") or Path("/usr/sbin/nginx").exists():
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        say("installing Debian's nginx for the replica test")
        sh("apt-get", "update", "-qq")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        sh("apt-get", "install", "-y", "-qq", "nginx-light", env=env)
    else:
        say("nginx is missing and cannot be installed here: the replica test will be skipped "
            "(run `sudo apt-get install nginx-light`)")


def postgres_reachable() -> bool:
    probe = f"import sqlalchemy as sa; sa.create_engine({PG_URL!r}).connect().close()"
    return subprocess.run([BIN / "python", "-c", probe], capture_output=True).returncode == 0


def run() -> None:
    ensure_venv("")
    ensure_fonts()
    zhuanjie = BIN / "zhuanjie"
    sh(zhuanjie, "migrate")
    logins = ROOT / "var" / "demo-logins.txt"
    if not logins.exists():
        say("filling the database with demo data")
        result = subprocess.run([zhuanjie, "demo"], cwd=ROOT, capture_output=True, text=True)
        print(result.stdout, end="")
        if result.returncode != 0:
            print(result.stderr, end="", file=sys.stderr)
            sys.exit(result.returncode)
        # Kept so a later `run` can show them again; demo data only, never a real deployment.
        logins.write_text(result.stdout.split("演示数据已导入。", 1)[-1], encoding="utf-8")
        logins.chmod(0o600)
    else:
        print(logins.read_text(encoding="utf-8"))
    host, port = os.environ.get("HOST", "127.0.0.1"), os.environ.get("PORT", "8000")
    say(f"serving on http://{host}:{port}/  (Ctrl+C to stop)")
    os.execv(zhuanjie, [str(zhuanjie), "serve", "--host", host, "--port", port])


def test(pytest_args: list[str]) -> None:
    ensure_venv("test")
    ensure_chromium()
    ensure_fonts()
    ensure_nginx()
    say("ruff")
    sh(BIN / "ruff", "check", ".")
    say("test suite on SQLite")
    env = dict(os.environ, ZHUANJIE_TEST_DATABASE="sqlite")
    sh(BIN / "pytest", *pytest_args, env=env)
    if not postgres_reachable():
        if os.environ.get("CI") == "true":
            sys.exit(f"PostgreSQL is not reachable at {PG_URL}; under CI=true that is a failure")
        say(f"PostgreSQL not reachable at {PG_URL}: skipping the PostgreSQL pass")
        return
    say("platform tests on PostgreSQL")
    env = dict(os.environ, ZHUANJIE_TEST_DATABASE="postgresql")
    sh(BIN / "pytest", "tests/zhuanjie", *pytest_args, env=env)


def main() -> None:
    command, *rest = sys.argv[1:] or ["help"]
    try:
        if command == "run":
            run()
        elif command == "test":
            test(rest)
        else:
            print(__doc__)
    except subprocess.CalledProcessError as exc:
        sys.exit(exc.returncode)


if __name__ == "__main__":
    main()

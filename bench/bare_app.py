"""The ceiling the page benchmark compares against: a bare FastAPI route rendering a small
Jinja2 page, no database, served by uvicorn exactly like the platform.

    .venv/bin/uvicorn bare_app:app --app-dir bench --workers 4 --no-access-log
"""

from fastapi import FastAPI, Request
from fastapi.templating import Jinja2Templates
from jinja2 import DictLoader, Environment

PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ title }}</title>
</head><body><h1>{{ title }}</h1><ul>{% for item in items %}<li>{{ item }}</li>{% endfor %}</ul>
</body></html>"""

def _tcp_nodelay_on_inherited_sockets() -> None:
    """Served the same way as the platform: the same fix as zhuanjie.main (uvicorn's workers
    otherwise answer each keep-alive request ~40 ms late)."""
    import asyncio.base_events
    import socket

    def set_nodelay(sock) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    asyncio.base_events._set_nodelay = set_nodelay


_tcp_nodelay_on_inherited_sockets()
templates = Jinja2Templates(env=Environment(loader=DictLoader({"page.html": PAGE}),
                                            autoescape=True))
app = FastAPI()


@app.get("/")
def page(request: Request):
    return templates.TemplateResponse(
        request, "page.html", {"title": "项目目录", "items": [f"项目 {i}" for i in range(20)]}
    )

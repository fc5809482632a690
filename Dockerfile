# One image for the web process, the worker and the one-off migration.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

# Printed documents (PDF) draw Chinese with Debian's Noto Sans CJK.
RUN apt-get update && apt-get install -y --no-install-recommends fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

COPY pyproject.toml README.md alembic.ini ./
COPY platform ./platform
COPY matching ./matching
COPY templates ./templates
COPY migrations ./migrations
RUN pip install -e . && useradd --create-home --uid 1000 zhuanjie \
    && mkdir -p /app/var/attachments && chown -R zhuanjie /app/var
USER zhuanjie

EXPOSE 8000
CMD ["zhuanjie", "serve", "--host", "0.0.0.0", "--port", "8000", "--no-scheduler"]

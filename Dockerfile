# The application image. `bo-saas serve` by default; the same image runs
# `bo-saas worker` and `bo-saas migrate` (see infra/compose.yaml and infra/k8s/).

# The web app, built once; only its static files go into the image.
FROM node:20-slim AS web
WORKDIR /web
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend ./
RUN npm run build

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    BO_ENV=production \
    BO_HOST=0.0.0.0 \
    BO_PORT=8000 \
    BO_DATA_DIR=/var/lib/bo-saas

RUN useradd --system --user-group --uid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin bo \
 && install -d -o bo -g bo /var/lib/bo-saas

WORKDIR /app
COPY pyproject.toml README.md alembic.ini ./
COPY src ./src
COPY migrations ./migrations
COPY --from=web /web/dist ./frontend/dist
# Editable on purpose: `bo-saas migrate` finds alembic.ini and migrations/ beside src/
# (settings.PROJECT_ROOT), which a wheel in site-packages would not have.
RUN pip install -e .

USER bo
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health' % os.environ.get('BO_PORT', '8000'), timeout=3)"
CMD ["bo-saas", "serve"]

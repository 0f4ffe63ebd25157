# roadmap-bot: the Discord bot, with its knowledge, index and (SQLite) data on volumes.
#   docker build -t roadmap-bot .
#   docker compose up -d                      # with PostgreSQL: see compose.yaml and the README's "Deploy"
#   docker run -it --rm roadmap-bot roadmap-bot chat   # the console advisor, without a Discord token
#
# Volumes: /app/knowledge (moderators' edits), /app/index (built indexes), /app/data (the SQLite store).
# On a start with an empty knowledge or index volume, the copies shipped in the image
# (/app/knowledge.dist, /app/index.dist) are copied in; a volume that holds anything is never overwritten.

FROM python:3.11-slim-bookworm AS build
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
# The CPU-only torch first: the project's torch==2.13.0 pin is then met, so pip never pulls the CUDA build.
RUN pip install --no-cache-dir --index-url https://download.pytorch.org/whl/cpu torch==2.13.0
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
RUN pip install --no-cache-dir "roadmap-bot[postgres] @ file:///src"

FROM python:3.11-slim-bookworm
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    KNOWLEDGE_DIST=/app/knowledge.dist \
    INDEX_DIST=/app/index.dist
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY knowledge ./knowledge.dist
COPY docker/entrypoint.sh ./docker/entrypoint.sh
# The bundled model is in the venv (roadmap-bot runs it offline); the index is built now, so the first
# start serves at once.
# The defaults KNOWLEDGE_DIR=knowledge, INDEX_DIR=index and DATABASE_URL=sqlite:///data/roadmap-bot.db
# resolve to the volumes below.
RUN KNOWLEDGE_DIR=/app/knowledge.dist INDEX_DIR=/app/index.dist roadmap-bot build-index \
    && useradd --uid 10001 --user-group --create-home --shell /usr/sbin/nologin roadmap \
    && mkdir -p /app/knowledge /app/index /app/data \
    && chown 10001:10001 /app/knowledge /app/index /app/data
USER 10001:10001
VOLUME ["/app/knowledge", "/app/index", "/app/data"]
HEALTHCHECK --interval=30s --timeout=30s --start-period=180s --retries=3 CMD ["roadmap-bot", "health"]
ENTRYPOINT ["/bin/sh", "/app/docker/entrypoint.sh"]
CMD ["roadmap-bot", "run"]

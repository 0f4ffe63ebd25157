# roadmap-bot: the Discord bot (or the console advisor when DISCORD_TOKEN is unset).
#   docker build -t roadmap-bot .
#   docker run --env-file .env -v roadmap-data:/app/data roadmap-bot
# torch is pinned to 2.13.0; pass a CPU-only wheel index with --build-arg PIP_EXTRA_INDEX_URL=... for a
# much smaller image (the default index also ships the CUDA build).
FROM python:3.11-slim

ARG PIP_EXTRA_INDEX_URL=""
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    TOKENIZERS_PARALLELISM=false \
    PIP_EXTRA_INDEX_URL=${PIP_EXTRA_INDEX_URL}

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
RUN pip install --no-cache-dir . && useradd --create-home --uid 10001 roadmap

COPY knowledge ./knowledge
COPY scripts ./scripts
RUN mkdir -p index data && chown -R roadmap:roadmap index data knowledge
USER roadmap

# Bake the index into the image so the first start is instant; a changed knowledge folder is rebuilt on start.
RUN roadmap-bot build-index

VOLUME ["/app/data"]
CMD ["roadmap-bot", "run"]

#!/bin/sh
# The container's entrypoint. Before the command runs, empty volumes are filled from what the image
# ships: the knowledge (and the index built from it) are copied in only when their volume holds
# nothing, so a moderator's files survive every upgrade (`roadmap-bot kb diff` lists what a newer
# image ships that the volume lacks). Then the command (by default `roadmap-bot run`) replaces this shell.
set -eu
roadmap-bot seed-knowledge --from "${KNOWLEDGE_DIST:-/app/knowledge.dist}" --index-from "${INDEX_DIST:-/app/index.dist}"
exec "$@"

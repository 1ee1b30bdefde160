# The learner image: apps/learner on CUDA torch. Build from the repository root:
#   docker build -f infra/docker/learner.Dockerfile -t registry.example.com/flowsteer/learner:<tag> .
# Not built by infra/validate.sh. On GPU nodes install the full torch wheel (with its CUDA
# libraries), not the trimmed CPU list of apps/learner/setup.sh.
FROM python:3.11-slim-bookworm
WORKDIR /app
COPY apps/learner/requirements.txt /tmp/requirements.txt
# The pinned torch with every CUDA library it asks for, then the rest of the pins (setup.sh's CPU
# list leaves some CUDA libraries out); infra/docker/learner-build-steps.sh runs these steps here.
RUN pip install --no-cache-dir "$(grep -E '^torch==' /tmp/requirements.txt)" \
 && grep -v -E '^(torch|nvidia-|triton|cuda-)' /tmp/requirements.txt > /tmp/req-rest.txt \
 && pip install --no-cache-dir -r /tmp/req-rest.txt
COPY apps/learner /app/apps/learner
ENV PYTHONPATH=/app/apps/learner PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1
USER 10001:10001
CMD ["python", "-m", "flowsteer_learner.worker"]

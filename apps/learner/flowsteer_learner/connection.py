"""How the learner worker reaches Temporal: mTLS and the SDK metrics endpoint, from the environment.

The same variables as the Node processes (see infra/README.md): TEMPORAL_TLS_CERT / _KEY / _CA /
_SERVER_NAME for mTLS (the names the Temporal CLI reads), FLOWSTEER_METRICS_PROMETHEUS_BIND for a
Prometheus `/metrics` endpoint. A malformed value is a `ValueError` naming its variable.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig
from temporalio.service import TLSConfig


def tls_from_env(env: Mapping[str, str]) -> TLSConfig | None:
    cert, key = env.get("TEMPORAL_TLS_CERT") or None, env.get("TEMPORAL_TLS_KEY") or None
    ca, server_name = env.get("TEMPORAL_TLS_CA") or None, env.get("TEMPORAL_TLS_SERVER_NAME") or None
    if not (cert or key or ca or server_name):
        return None
    if bool(cert) != bool(key):
        only = "TEMPORAL_TLS_CERT" if cert else "TEMPORAL_TLS_KEY"
        raise ValueError(f"TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together: only {only} is set")
    return TLSConfig(
        client_cert=_read_pem("TEMPORAL_TLS_CERT", cert) if cert else None,
        client_private_key=_read_pem("TEMPORAL_TLS_KEY", key) if key else None,
        server_root_ca_cert=_read_pem("TEMPORAL_TLS_CA", ca) if ca else None,
        domain=server_name,
    )


def _read_pem(variable: str, path: str) -> bytes:
    try:
        pem = Path(path).read_bytes()
    except OSError as err:
        raise ValueError(f"{variable}={path} cannot be read: {err.strerror or err}") from err
    if b"-----BEGIN " not in pem:
        raise ValueError(f'{variable}={path} is not a PEM file (no "-----BEGIN" line)')
    return pem


_BIND = re.compile(r"^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$")


def metrics_bind_from_env(env: Mapping[str, str]) -> str | None:
    raw = (env.get("FLOWSTEER_METRICS_PROMETHEUS_BIND") or "").strip()
    if not raw:
        return None
    match = _BIND.match(raw)
    if not match or int(match.group(2)) > 65535:
        raise ValueError(f'FLOWSTEER_METRICS_PROMETHEUS_BIND="{raw}" must be host:port, for example 0.0.0.0:9464')
    return raw


def runtime_for(metrics_bind: str | None) -> Runtime | None:
    """A runtime serving Prometheus metrics on `metrics_bind`; None keeps the SDK's default runtime."""
    if not metrics_bind:
        return None
    return Runtime(telemetry=TelemetryConfig(metrics=PrometheusConfig(bind_address=metrics_bind)))

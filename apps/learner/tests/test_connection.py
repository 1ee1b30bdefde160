"""The learner worker's connection settings: mTLS files and the metrics bind address."""
import pytest
from flowsteer_learner.connection import metrics_bind_from_env, runtime_for, tls_from_env

PEM = b"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"


def test_plain_connection_when_nothing_is_set():
    assert tls_from_env({}) is None
    assert tls_from_env({"TEMPORAL_TLS_CERT": "", "TEMPORAL_TLS_KEY": ""}) is None


def test_reads_pair_ca_and_server_name(tmp_path):
    for name in ("tls.crt", "tls.key", "ca.crt"):
        (tmp_path / name).write_bytes(PEM)
    tls = tls_from_env({
        "TEMPORAL_TLS_CERT": str(tmp_path / "tls.crt"),
        "TEMPORAL_TLS_KEY": str(tmp_path / "tls.key"),
        "TEMPORAL_TLS_CA": str(tmp_path / "ca.crt"),
        "TEMPORAL_TLS_SERVER_NAME": "temporal.internal",
    })
    assert tls is not None
    assert tls.client_cert == PEM and tls.client_private_key == PEM and tls.server_root_ca_cert == PEM
    assert tls.domain == "temporal.internal"


@pytest.mark.parametrize("env, message", [
    ({"TEMPORAL_TLS_CERT": "/x/tls.crt"}, "only TEMPORAL_TLS_CERT is set"),
    ({"TEMPORAL_TLS_KEY": "/x/tls.key"}, "only TEMPORAL_TLS_KEY is set"),
    ({"TEMPORAL_TLS_CA": "/nonexistent/ca.crt"}, "TEMPORAL_TLS_CA=/nonexistent/ca.crt cannot be read"),
])
def test_bad_tls_settings_name_the_variable(env, message):
    with pytest.raises(ValueError, match=message):
        tls_from_env(env)


def test_a_file_that_is_not_pem_is_refused(tmp_path):
    (tmp_path / "ca.crt").write_text("hello")
    with pytest.raises(ValueError, match="is not a PEM file"):
        tls_from_env({"TEMPORAL_TLS_CA": str(tmp_path / "ca.crt")})


def test_metrics_bind_address():
    assert metrics_bind_from_env({}) is None
    assert metrics_bind_from_env({"FLOWSTEER_METRICS_PROMETHEUS_BIND": " 0.0.0.0:9464 "}) == "0.0.0.0:9464"
    assert runtime_for(None) is None
    for bad in ("9464", "host:99999", "a b:1"):
        with pytest.raises(ValueError, match="FLOWSTEER_METRICS_PROMETHEUS_BIND"):
            metrics_bind_from_env({"FLOWSTEER_METRICS_PROMETHEUS_BIND": bad})


def test_the_worker_exits_2_with_the_message_on_a_bad_setting(monkeypatch, capsys):
    from flowsteer_learner import worker

    monkeypatch.setenv("TEMPORAL_TLS_KEY", "/x/tls.key")
    monkeypatch.delenv("TEMPORAL_TLS_CERT", raising=False)
    with pytest.raises(SystemExit) as exit_info:
        worker.main([])
    assert exit_info.value.code == 2
    assert "TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together" in capsys.readouterr().err

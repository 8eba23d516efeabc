"""scripts/loadtest.py: refuses any host but 127.0.0.1, and a short run against a live server signs
in staff and officials through the form, opens their pages and reports no errors."""

import contextlib
import importlib.util
import io

import pytest

from accounts.models import Role
from tests.conftest import make_user
from tests.factories import CandidateFactory, PlacementFactory, municipality

from .production import BASE_DIR

_spec = importlib.util.spec_from_file_location("loadtest", BASE_DIR / "scripts" / "loadtest.py")
loadtest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(loadtest)


@pytest.mark.parametrize(
    "url", ["http://localhost:8001", "http://10.1.2.3:8001", "https://127.0.0.1:8001", "http://example.go.id"]
)
def test_the_script_refuses_any_host_but_127_0_0_1(url, capsys):
    with pytest.raises(SystemExit) as excinfo:
        loadtest.parse_args(["--url", url])
    assert excinfo.value.code == 2
    assert "refusing" in capsys.readouterr().err


def test_percentiles_are_nearest_rank():
    values = [i / 1000 for i in range(1, 101)]  # 1 … 100 ms
    assert loadtest.percentile(values, 50) == 0.050
    assert loadtest.percentile(values, 95) == 0.095
    assert loadtest.percentile(values, 99) == 0.099
    assert loadtest.percentile([0.2], 99) == 0.2


@pytest.mark.django_db(transaction=True)
def test_a_short_run_against_a_live_server_has_mixed_traffic_and_no_errors(live_server):
    serang, blitar = municipality("36.73"), municipality("35.72")
    for username, role, muni in [
        ("serang.staff", Role.STAFF, serang),
        ("blitar.staff", Role.STAFF, blitar),
        ("serang.official", Role.OFFICIAL, serang),
        ("blitar.official", Role.OFFICIAL, blitar),
    ]:
        user = make_user(username, role, muni)
        user.set_password("rantau-demo")
        user.save()
    for muni in (serang, blitar):
        PlacementFactory(candidate=CandidateFactory(municipality=muni))

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        # The live server listens on localhost; the script accepts only the literal 127.0.0.1.
        code = loadtest.main(
            ["--url", live_server.url.replace("localhost", "127.0.0.1"), "--users", "4", "--duration", "3"]
        )
    report = out.getvalue()

    assert code == 0, report
    for page in ("home", "candidate list", "candidate detail", "programme page", "new candidate form"):
        assert f"  {page} " in report, report
    assert "errors   none" in report
    assert "5xx      0" in report

"""Near misses in a requirements file: accepted when the meaning is plain, otherwise a message that
names the place and the exact fix, in English and Korean."""

from __future__ import annotations

from pathlib import Path

import pytest

from recommender import InputError, load_requirements
from recommender.models import importance_of


@pytest.mark.parametrize(("written", "meant"), [
    ("Must", "must"), ("MUST", "must"), (" must ", "must"), ("Nice to have", "nice"), ("nice-to-have", "nice"),
    ("must — exclude tools without it", "must"), ("avoid — tools that bring it lose points", "avoid"),
    ("nice — 있으면 좋음", "nice"), ("high — 높음", "high"), ("필수(must)", "must"), ("있으면 좋음", "nice"),
    ("High", "high"), ("Medium", "medium"),
])
def test_importance_as_people_and_the_wizard_write_it_is_accepted(tmp_path: Path, written: str, meant: str) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(f'requirements:\n  canary: high\n  gitops_sync: "{written}"\n', encoding="utf-8")
    assert load_requirements(path).requirements == {"canary": "high", "gitops_sync": meant}


@pytest.mark.parametrize("written", ["mst", "required", "sometimes", "musthave", 3, None])
def test_other_importance_values_stay_errors(written: object) -> None:
    assert importance_of(written) == written


def _problems(tmp_path: Path, text: str, lang: str = "en") -> str:
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_requirements(path)
    return caught.value.render(lang)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_misspelt_importance_gets_the_exact_value(tmp_path: Path, lang: str) -> None:
    text = _problems(tmp_path, "requirements:\n  gitops_sync: mst\n", lang)
    assert "line 2" in text or "2행" in text
    assert ("did you mean 'must'?" in text) if lang == "en" else ("혹시 'must'인가요?" in text)
    if lang == "ko":  # one language per sentence: no English "or" between the choices
        assert " or " not in text and "'nice', 'avoid' 중 하나여야" in text


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_tab_is_named_with_its_line_and_column(tmp_path: Path, lang: str) -> None:
    text = _problems(tmp_path, "requirements:\n  gitops_sync: must\n\tcanary: high\n", lang)
    expected = ("line 3, column 1: a tab character" if lang == "en" else "3행, 1열: 탭 문자가 있습니다")
    assert expected in text
    assert "cannot start any token" not in text


@pytest.mark.parametrize("router", ["cilium", "envoy-gateway", "kgateway", "Cilium", "nginx-gateway-fabric"])
def test_a_gateway_api_implementation_points_to_gateway_api(tmp_path: Path, router: str) -> None:
    text = _problems(tmp_path, f"context:\n  traffic_router: {router}\nrequirements:\n  canary: must\n")
    assert "line 2" in text and "write `traffic_router: gateway-api`" in text
    ko = _problems(tmp_path, f"context:\n  traffic_router: {router}\nrequirements:\n  canary: must\n", "ko")
    assert "`traffic_router: gateway-api`로 쓰세요" in ko


def test_a_context_key_under_requirements_says_where_it_belongs(tmp_path: Path) -> None:
    body = "requirements:\n  gitops_sync: must\n  traffic_router: istio\n"
    text = _problems(tmp_path, body)
    assert "line 3" in text and "move it under `context:`" in text
    assert "Input should be" not in text  # said once, as misplaced, not again for its value
    assert "`context:` 아래로 옮기세요" in _problems(tmp_path, body, "ko")


@pytest.mark.parametrize("key", ["workload_kinds", "already_using"])
def test_a_single_value_where_a_list_belongs_says_write_a_list(tmp_path: Path, key: str) -> None:
    value = "deployment" if key == "workload_kinds" else "flux"
    body = f"context:\n  {key}: {value}\nrequirements:\n  gitops_sync: must\n"
    assert f"write a list: `{key}: [{value}]`" in _problems(tmp_path, body)
    assert f"목록으로 쓰세요: `{key}: [{value}]`" in _problems(tmp_path, body, "ko")


@pytest.mark.parametrize(("yaml_text", "korean"), [
    ("requirements:\n  gitops_sync: must\n  a: b: c\n", "'키: 값'을 쓸 수 없습니다"),
    ("requirements: [gitops_sync, canary\n", "기호가 있어야 합니다"),
    ('requirements:\n  gitops_sync: "must\n', "닫히지 않은 채"),
])
def test_yaml_syntax_errors_are_said_in_korean(tmp_path: Path, yaml_text: str, korean: str) -> None:
    text = _problems(tmp_path, yaml_text, "ko")
    assert korean in text and "YAML 문법 오류" in text

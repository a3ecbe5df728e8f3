"""Korean particles agree with the word before them, English names included."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import EXAMPLES

from recommender import load_requirements, recommend
from recommender.korean import particles
from recommender.render import render


@pytest.mark.parametrize(("text", "expected"), [
    ("GitOps 동기화을(를) 씁니다", "GitOps 동기화를 씁니다"),  # Hangul, no final consonant
    ("canary 배포은(는)", "canary 배포는"),
    ("Helm을(를)", "Helm을"),  # 헬름: a final consonant
    ("Keptn은(는)", "Keptn은"),  # 켑튼
    ("Argo CD이(가)", "Argo CD가"),  # an acronym by its letter names: 씨디
    ("CLI와(과) UI", "CLI와 UI"),
    ("HTML을(를)", "HTML을"),  # 엘
    ("SSO (OIDC/SAML)을(를)", "SSO (OIDC/SAML)를"),  # the aside does not count
    ("Flux (GitOps Toolkit controllers and flux CLI)이(가)", "Flux (GitOps Toolkit controllers and flux CLI)가"),
    ("‘A/B 테스트’을(를)", "‘A/B 테스트’를"),
    ("Git이(가)", "Git이"),  # 깃
    ("Flagger은(는)", "Flagger는"),  # 플래거
    ("서울(으)로", "서울로"),  # ㄹ takes 로
    ("집(으)로", "집으로"),
    ("istio(으)로", "istio로"),
    ("v3이(가)", "v3이"),  # 삼
    ("v2이(가)", "v2가"),  # 이
    ("(괄호)이(가)", "(괄호)이(가)"),  # nothing before the aside: left paired
    ("끝)이(가)", "끝)이(가)"),  # unbalanced: left paired
    ("Crossplane은(는)", "Crossplane은"),  # 크로스플레인
    ("rollback을(를)", "rollback을"),  # 롤백
    ("datadog을(를)", "datadog을"),  # 데이터독
    ("Tool ①이(가)", "Tool ①이(가)"),  # a digit Korean has no reading for: left paired
    ("v３이(가)", "v３이(가)"),
])
def test_a_paired_particle_takes_the_form_of_the_word_before_it(text: str, expected: str) -> None:
    assert particles(text) == expected


def test_korean_reports_keep_no_paired_particle_after_a_name() -> None:
    pair = re.compile(r"[A-Za-z가-힣)]\s?(을\(를\)|은\(는\)|이\(가\)|와\(과\)|\(으\)로)")
    for example in ("ecommerce-in-place.yaml", "canary-on-istio.yaml", "flux-shop-adding-canaries.yaml"):
        rec = recommend(load_requirements(EXAMPLES / example), lang="ko")
        text = render(rec, "markdown", width=100)
        assert not pair.findall(text), example


def test_korean_input_problems_agree_with_the_key_they_name(tmp_path: Path) -> None:
    from recommender.api import load_requirements as load
    from recommender.errors import InputError

    path = tmp_path / "dup.yaml"
    path.write_text("version: 1\nrequirements:\n  helm: high\n  helm: nice\n  canary: high\n  canary: nice\n")
    with pytest.raises(InputError) as caught:
        load(path)
    text = caught.value.render("ko")
    assert "중복된 키 'helm'이 있습니다" in text  # 헬름
    assert "중복된 키 'canary'가 있습니다" in text  # 카나리

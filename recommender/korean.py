"""Korean particles that agree with the word before them.

Korean templates write a particle in its paired form after a value they cannot know ("{tool}이(가)",
"{requirement}을(를)"); once the value is filled in, `particles` picks the form that word takes:
이 after a final consonant, 가 after a vowel, and so on. Tool and requirement names are often
English ("Argo CD", "Helm", "SSO (OIDC/SAML)"), so the final sound is read the way Korean speakers
read them: an acronym by its letter names (CD = 씨디), a word by how it is usually transliterated
(Helm = 헬름, Flux = 플럭스). A parenthesis after the word does not count (SSO(OIDC/SAML)를).
Where the sound cannot be told, the paired form stays, which is what Korean writing does anyway.
"""

from __future__ import annotations

import re

# Paired form -> (after a final consonant, after a vowel)
_PAIRS = {"을(를)": ("을", "를"), "를(을)": ("을", "를"), "은(는)": ("은", "는"), "는(은)": ("은", "는"),
          "이(가)": ("이", "가"), "가(이)": ("이", "가"), "과(와)": ("과", "와"), "와(과)": ("과", "와"),
          "(으)로": ("으로", "로"), "(이)나": ("이나", "나"), "(이)며": ("이며", "며")}
_PAIR = re.compile("|".join(re.escape(p) for p in _PAIRS))
_RIEUL = 8  # ㄹ as a final consonant: it takes 로, not 으로

# Letter names as read in Korean: those that end in a consonant (엘, 엠, 엔, 알).
_LETTER_FINAL = {"l": _RIEUL, "m": 16, "n": 4, "r": _RIEUL}
# Digits as read in Korean (영 일 이 삼 사 오 육 칠 팔 구): the final consonant's index, 0 for none.
_DIGIT_FINAL = {"0": 21, "1": _RIEUL, "2": 0, "3": 16, "4": 0, "5": 0, "6": 1, "7": _RIEUL, "8": _RIEUL, "9": 0}
_BRACKETS = {")": "(", "]": "["}
_QUOTES = "’”'\""


def _word_end(text: str) -> int | None:
    """Where the word a particle agrees with ends: a bracketed aside after it does not count
    (SSO(OIDC/SAML)를 agrees with SSO), a closing quote does not either (‘테스트’를)."""
    end = len(text)
    while end and (text[end - 1] in _BRACKETS or text[end - 1] in _QUOTES):
        if text[end - 1] in _QUOTES:
            end -= 1
            continue
        closer, opener, depth = text[end - 1], _BRACKETS[text[end - 1]], 0
        i = end - 1
        while i >= 0:
            depth += text[i] == closer
            depth -= text[i] == opener
            if depth == 0:
                break
            i -= 1
        if i < 0:
            return None  # unbalanced: leave the particle paired
        end = i
        while end and text[end - 1] == " ":
            end -= 1
    return end


def _final(text: str) -> int | None:
    """The final consonant index (0 for a vowel) of the word `text` ends with; None if unknown."""
    end = _word_end(text)
    if not end:
        return None
    last = text[end - 1]
    if "가" <= last <= "힣":
        return (ord(last) - 0xAC00) % 28
    if last in _DIGIT_FINAL:
        return _DIGIT_FINAL[last]
    if not last.isascii() or not last.isalpha():
        return None
    word = re.findall(r"[A-Za-z]+$", text[:end])[0]
    if word.isupper() and len(word) <= 5:  # an acronym, read letter by letter
        return _LETTER_FINAL.get(word[-1].lower(), 0)
    lower = word.lower()
    if lower.endswith("ng"):
        return 21  # ㅇ (Rolling = 롤링)
    if lower.endswith("ne"):
        return 4  # a silent e: Plane = 플레인
    if lower.endswith("ck") or (lower[-1] == "g" and len(lower) > 1 and lower[-2] in "aeiou"):
        return 1  # ㄱ: Slack = 슬랙, Datadog = 데이터독
    if lower[-1] in "lmn":
        return _LETTER_FINAL[lower[-1]]  # Control = 컨트롤, Helm = 헬름, Keptn = 켑튼
    if lower[-1] in "kcpbt" and len(lower) > 1 and lower[-2] in "aeiou":
        return 1  # a short closed syllable: Git = 깃, Rollout = 롤아웃, Relic = 렐릭, Job = 잡
    return 0  # Flux = 플럭스, Flagger = 플래거, Kruise = 크루즈


def particles(text: str) -> str:
    """Every paired particle in `text` in the form its preceding word takes."""
    if "(" not in text:
        return text
    out: list[str] = []
    last = 0
    for match in _PAIR.finditer(text):
        before = text[:match.start()]
        final = _final(before)
        pair = match.group(0)
        if final is None:
            form = pair
        elif pair == "(으)로":
            form = "로" if final in (0, _RIEUL) else "으로"
        else:
            form = _PAIRS[pair][0 if final else 1]
        out.append(text[last:match.start()] + form)
        last = match.end()
    out.append(text[last:])
    return "".join(out)

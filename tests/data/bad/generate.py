"""Regenerate the generated part (files named g-*.yaml) of the hostile-input corpus.

Run from anywhere: `python tests/data/bad/generate.py`. Hand-written cases (h-*.yaml) are not
touched. Every file here must make `recommender recommend FILE` exit 2; files that are huge
(over 1 MB) are not stored but generated at test time (tests/test_hostile.py).
"""

from __future__ import annotations

import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
OK_REQS = "requirements:\n  gitops_sync: must\n  canary: high\n"


def _ctx(body: str) -> bytes:
    return f"version: 1\ncontext:\n{body}{OK_REQS}".encode()


def _req(body: str) -> bytes:
    return f"version: 1\nrequirements:\n{body}".encode()


def _lol(levels: int, width: int, where: str) -> bytes:
    lines = ['l0: &l0 "lol"']
    for i in range(1, levels + 1):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * width) + "]")
    lines.append(f"{where}: *l{levels}")
    return ("\n".join(lines) + "\n").encode()


def cases() -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    # Importance typos and wrong importance types. (Case, spaces and the wizard's labels such as
    # "Nice to have" are accepted, so they are not here: tests/test_near_misses.py.)
    for i, value in enumerate(["Mandatory", "SHOULD", "mst", "muss", "required", "critical", "low", "optional",
                               "'must/high'", "'high\\n'", "yes", "10", "0.5", "[must]", "{level: must}", "~",
                               "musthave", "good-to-have", "'avoid!'", "hgih"]):
        out[f"g-importance-{i:02d}.yaml"] = _req(f"  gitops_sync: must\n  canary: {value}\n")
    # Unknown and look-alike requirement ids.
    lookalikes = ["gitops-sync", "GitOps_Sync", "gitopssync", "gitops_synk", "canarie", "canaries", "Canary",
                  "blue-green", "bluegreen", "ab-testing", "a_b_testing", "web-ui", "webui", "sso_login",
                  "helm3", "kustomise", "multi_clusters", "multicluster", "in_place_updates", "inplace_update",
                  "c\u0430nary", "canary\u200b", "\uff43anary", "gitops\u2010sync", "drift_self_heal_",
                  "_canary", "canary.", "spinnaker", "jenkins_x", "argo"]
    for i, req in enumerate(lookalikes):
        out[f"g-lookalike-{i:02d}.yaml"] = _req(f"  gitops_sync: must\n  \"{req}\": high\n")
    # Context: wrong values and wrong types.
    contexts = ["  traffic_router: istoi\n", "  traffic_router: Istio\n", "  traffic_router: envoy\n",
                "  traffic_router: [istio]\n", "  traffic_router: 5\n", "  traffic_router: {name: istio}\n",
                "  metrics_provider: prometheus2\n", "  metrics_provider: Prometheus\n",
                "  metrics_provider: [prometheus, datadog]\n", "  metrics_provider: true\n",
                "  platform: aws\n", "  platform: eks\n", "  platform: 3\n",
                "  workload_kinds: deployment\n", "  workload_kinds: [deployments]\n",
                "  workload_kinds: [pods, deployment]\n", "  workload_kinds: [1, 2]\n",
                "  workload_kinds: [[deployment]]\n", "  already_using: argo-cd\n", "  already_using: [argocd]\n",
                "  already_using: [argo_cd, fluxcd]\n", "  already_using: {argo-cd: true}\n",
                "  traffic-router: istio\n", "  cluster: 3\n", "  region: eu\n"]
    for i, body in enumerate(contexts):
        out[f"g-context-{i:02d}.yaml"] = _ctx(body)
    # Cluster counts.
    for i, value in enumerate(["0", "-1", "-100", "100001", "1000000000000", "1.5", "many", "[3]", "{n: 3}",
                               ".nan", ".inf", "-.inf", "''"]):
        out[f"g-clusters-{i:02d}.yaml"] = _ctx(f"  clusters: {value}\n")
    # Keys that are numbers, booleans, null, dates.
    for i, key in enumerate(["1", "1.5", "true", "false", "~", "null", "yes", "on", "2024-01-01", "0x1F"]):
        out[f"g-key-{i:02d}.yaml"] = _req(f"  gitops_sync: must\n  {key}: high\n")
    for i, key in enumerate(["1", "true", "~", "2024-01-01"]):
        out[f"g-topkey-{i:02d}.yaml"] = f"version: 1\n{key}: x\n{OK_REQS}".encode()
    # Top level that is not a mapping.
    for i, doc in enumerate(["42\n", "3.14\n", "true\n", "hello\n", "'requirements: {canary: must}'\n", "[]\n",
                             "- gitops_sync\n- canary\n", "- {gitops_sync: must}\n", "2024-01-01\n", "|\n  text\n"]):
        out[f"g-toplevel-{i:02d}.yaml"] = doc.encode()
    # Unsupported versions.
    for i, value in enumerate(["0", "2", "1.1", "'1'", "v1", "~", "[1]", "-1", "'1.0'", "{major: 1}"]):
        out[f"g-version-{i:02d}.yaml"] = f"version: {value}\n{OK_REQS}".encode()
    # Wrong types for whole sections.
    for i, doc in enumerate(["requirements: [gitops_sync, canary]\n", "requirements: gitops_sync\n",
                             "requirements:\n", "requirements: 5\n", "context: [istio]\n" + OK_REQS,
                             "context: istio\n" + OK_REQS, "context:\n" + OK_REQS, "notes: [a, b]\n" + OK_REQS,
                             "notes: 5\n" + OK_REQS, "notes: {a: b}\n" + OK_REQS, "notes: true\n" + OK_REQS]):
        out[f"g-types-{i:02d}.yaml"] = doc.encode()
    # Unknown top-level fields.
    for i, key in enumerate(["requirement", "Requirements", "reqs", "contexts", "note", "Version", "team"]):
        out[f"g-topfield-{i:02d}.yaml"] = f"version: 1\n{key}: {{}}\n{OK_REQS}".encode()
    # Empty in every spelling.
    for i, doc in enumerate([b"", b"\n\n\n", b"   \n  \n", b"# only a comment\n", b"~\n", b"null\n", b"---\n",
                             b"---\n...\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf# bom and a comment\n"]):
        out[f"g-empty-{i:02d}.yaml"] = doc
    # Encodings that are not UTF-8.
    text = "version: 1\nnotes: \"Équipe paiements — déploiements sûrs, 팀\"\n" + OK_REQS
    latin = "version: 1\nnotes: \"Équipe paiements, déploiements sûrs\"\n" + OK_REQS
    out["g-encoding-latin1.yaml"] = latin.encode("latin-1")
    out["g-encoding-cp1252.yaml"] = "version: 1\nnotes: \u201csmart quotes\u201d \u2013 dash\n".encode("cp1252") \
        + OK_REQS.encode()
    out["g-encoding-utf16le-nobom.yaml"] = text.encode("utf-16-le")
    out["g-encoding-utf16be-nobom.yaml"] = text.encode("utf-16-be")
    out["g-encoding-utf16-bom.yaml"] = text.encode("utf-16")
    out["g-encoding-utf32.yaml"] = text.encode("utf-32")
    out["g-encoding-euckr.yaml"] = "version: 1\nnotes: 결제 팀\n".encode("euc-kr") + OK_REQS.encode()
    out["g-encoding-shiftjis.yaml"] = "version: 1\nnotes: 決済チーム\n".encode("shift_jis") + OK_REQS.encode()
    out["g-encoding-overlong.yaml"] = b"version: 1\nnotes: \"\xc0\xafetc\"\n" + OK_REQS.encode()
    out["g-encoding-surrogate.yaml"] = b"version: 1\nnotes: \"\xed\xa0\x80\"\n" + OK_REQS.encode()
    out["g-encoding-truncated.yaml"] = OK_REQS.encode() + b"notes: \"\xe2\x82\"\n"
    out["g-encoding-latin1-key.yaml"] = _req("  gitops_sync: must\n").replace(b"gitops", b"gitops\xe9")
    out["g-encoding-bom-then-bad.yaml"] = b"\xef\xbb\xbf" + _req("  gitops_sync: mustt\n")
    out["g-encoding-utf16le-bom-bad.yaml"] = b"\xff\xfe" + "requirements: [\n".encode("utf-16-le")
    # Binary.
    rng = random.Random(20240601)
    out["g-binary-random.yaml"] = bytes(rng.randrange(256) for _ in range(2048))
    out["g-binary-png.yaml"] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
    out["g-binary-gzip.yaml"] = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xcbH\xcd\xc9\xc9\x07\x00\x86\xa6\x106\x05"
    out["g-binary-elf.yaml"] = b"\x7fELF\x02\x01\x01\x00" + bytes(56)
    out["g-binary-nul-in-text.yaml"] = OK_REQS.encode() + b"notes: a\x00b\n"
    out["g-binary-ff.yaml"] = b"\xff" * 512
    # Alias bombs ("billion laughs") in several places.
    out["g-bomb-notes.yaml"] = _lol(9, 9, "notes")
    out["g-bomb-requirements.yaml"] = _lol(9, 9, "requirements")
    out["g-bomb-context.yaml"] = _lol(8, 10, "context")
    out["g-bomb-wide.yaml"] = ("w: &w [" + ", ".join(["x"] * 500) + "]\nnotes: [" + ", ".join(["*w"] * 500)
                               + "]\n").encode()
    out["g-bomb-mapping.yaml"] = ("m0: &m0 {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9, j: 10}\n"
                                  + "".join(f"m{i}: &m{i} [" + ", ".join([f"*m{i - 1}"] * 10) + "]\n"
                                            for i in range(1, 7)) + "notes: *m6\n").encode()
    # Deep nesting: beyond the library's depth limit, and beyond the YAML parser's.
    for depth in (65, 100, 2000):
        out[f"g-deep-flow-{depth}.yaml"] = (OK_REQS + "notes: " + "[" * depth + "]" * depth + "\n").encode()
    out["g-deep-map-80.yaml"] = (OK_REQS + "notes: " + "{a: " * 80 + "1" + "}" * 80 + "\n").encode()
    out["g-deep-block-70.yaml"] = (OK_REQS + "context:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(70))
                                   + "  " * 71 + "x\n").encode()
    # Duplicate keys.
    out["g-dup-top.yaml"] = (OK_REQS + "requirements:\n  canary: nice\n").encode()
    out["g-dup-requirement.yaml"] = _req("  gitops_sync: must\n  canary: high\n  canary: nice\n")
    out["g-dup-context.yaml"] = _ctx("  traffic_router: istio\n  traffic_router: linkerd\n")
    out["g-dup-quoted.yaml"] = _req("  gitops_sync: must\n  'gitops_sync': high\n")
    out["g-dup-flow.yaml"] = b"requirements: {canary: must, canary: high}\n"
    out["g-dup-alias-key.yaml"] = _req("  &k canary: must\n  *k : high\n")
    out["g-dup-crlf.yaml"] = _req("  gitops_sync: must\n  gitops_sync: nice\n").replace(b"\n", b"\r\n")
    # Python and other non-standard tags.
    for i, doc in enumerate(["requirements: {canary: !!python/object/apply:os.system [echo pwned]}\n",
                             "requirements: !!python/object:collections.OrderedDict {canary: must}\n",
                             "notes: !!python/name:os.system\n" + OK_REQS,
                             "notes: !!python/module:os\n" + OK_REQS,
                             "context: {clusters: !!python/tuple [1, 2]}\n" + OK_REQS,
                             "notes: !!python/object/new:subprocess.Popen [[ls]]\n" + OK_REQS,
                             "notes: !custom thing\n" + OK_REQS,
                             "!!python/object/apply:os.system [echo pwned]\n",
                             "requirements:\n  ? !!python/tuple [a, b]\n  : must\n",
                             "notes: !!binary aGVsbG8=\n" + OK_REQS,
                             "requirements: !!set {canary: null}\n",
                             "requirements: !!omap [{canary: must}]\n"]):
        out[f"g-tag-{i:02d}.yaml"] = doc.encode()
    # YAML syntax errors.
    for i, doc in enumerate(["requirements: [\n", "requirements: {canary: must\n",
                             "requirements:\n  canary: must: high\n",
                             "requirements:\n  canary: \"must\n", "requirements:\n canary: must\n  blue_green: high\n",
                             "requirements:\n  - canary: must\n  blue_green: high\n", "notes: 'unclosed\n" + OK_REQS,
                             "requirements:\n\tcanary: must\n", "requirements:\n  canary:\tmust\n\t\n",
                             "a: 1\n---\nb: 2\n", "requirements: {canary: must}}\n", "requirements: *nowhere\n",
                             "requirements: &a &b {}\n", "%YAML 9.9\n---\nrequirements: {}\n", "@canary: must\n",
                             "requirements:\n  canary: |\n must\n", "`requirements`: {}\n", "{: must}\n",
                             "requirements: {canary: must\n  , }x\n", "notes: \"\\q\"\n"]):
        out[f"g-syntax-{i:02d}.yaml"] = doc.encode()
    # Merge keys and complex keys.
    out["g-merge.yaml"] = b"base: &b {canary: must}\nrequirements:\n  <<: *b\n  gitops_sync: must\n"
    out["g-complex-key.yaml"] = b"requirements:\n  ? [canary, blue_green]\n  : must\n"
    out["g-complex-key-map.yaml"] = b"requirements:\n  ? {canary: 1}\n  : must\n"
    # Mixed: several problems in one file (every one must be reported, the first names a line).
    out["g-many-problems.yaml"] = _ctx("  traffic_router: istoi\n  clusters: 0\n").replace(
        b"canary: high", b"canery: hihg\n  web_uii: Must")
    return out


def main() -> None:
    for old in HERE.glob("g-*.yaml"):
        old.unlink()
    for name, data in sorted(cases().items()):
        (HERE / name).write_bytes(data)
    print(f"wrote {len(cases())} files to {HERE}")


if __name__ == "__main__":
    main()

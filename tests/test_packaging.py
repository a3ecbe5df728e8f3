"""A wheel installed outside the repository finds its bundled rules and knowledge."""

from __future__ import annotations

import os
import site
import subprocess
import sys
import venv
from pathlib import Path

from conftest import EXAMPLES, ROOT


def test_wheel_installed_in_a_fresh_venv_runs_from_another_directory(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-q",
                    "-w", str(dist), str(ROOT)], check=True, timeout=300)
    wheel = next(dist.glob("recommender-*.whl"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)  # this environment's pip installs into it (--python)
    python = env_dir / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
                    "--no-index", str(wheel)], check=True, timeout=300)
    # Dependencies come from this environment's site-packages; the package itself only from the wheel.
    deps = os.pathsep.join(site.getsitepackages())
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    example = workdir / "reqs.yaml"
    example.write_text((EXAMPLES / "canary-on-istio.yaml").read_text())
    env = {**os.environ, "PYTHONPATH": deps}
    done = subprocess.run([str(python), "-m", "recommender", "recommend", "reqs.yaml", "--format", "json"],
                          cwd=workdir, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert '"ranking"' in done.stdout
    where = subprocess.run([str(python), "-c", "import recommender; print(recommender.__file__)"],
                           cwd=workdir, env=env, capture_output=True, text=True, check=True).stdout
    assert str(env_dir) in where
    lint = subprocess.run([str(python), "-m", "recommender", "kb", "path"], cwd=workdir, env=env,
                          capture_output=True, text=True, check=True).stdout
    assert str(env_dir) in lint

"""`cmake --install` puts the package where its Python finds it."""
import os
import pathlib
import subprocess
import sys
import sysconfig

import pytest


def test_installed_package_imports_from_the_prefix(tmp_path):
    build = os.environ.get("NEARDUP_BUILD_DIR")
    cmake = os.environ.get("NEARDUP_CMAKE")
    if not build or not cmake:
        pytest.skip("NEARDUP_BUILD_DIR and NEARDUP_CMAKE are set by ctest")
    subprocess.run([cmake, "--install", build, "--prefix", str(tmp_path)],
                   check=True, stdout=subprocess.DEVNULL)
    packages = [p.parent for p in tmp_path.glob("**/neardup/__init__.py")]
    assert len(packages) == 1
    package = packages[0]
    assert (package / "__init__.pyi").exists() and (package / "py.typed").exists()
    # The same directory, relative to the prefix, as this Python's own.
    platlib = pathlib.Path(sysconfig.get_paths()["platlib"])
    assert platlib.parts[-2:] == package.parent.parts[-2:]
    env = dict(os.environ, PYTHONPATH=str(package.parent))
    out = subprocess.run(
        [sys.executable, "-c",
         "import neardup; w = ' '.join(map(str, range(30))); "
         "print(neardup.__file__); print(len(neardup.compare(w, w)))"],
        env=env, cwd=tmp_path, capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == [str(package / "__init__.py"), "1"]

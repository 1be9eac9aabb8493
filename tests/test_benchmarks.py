"""The benchmarks' reference sites are built from the project's own mkdocs.yml: a change to it (a tag such as
!ENV, bundled assets) must not leave `make benchmark-site` and `make benchmark-lighthouse` broken unnoticed."""

import subprocess
import sys

import pytest
import yaml

import projectpaths  # noqa: F401  (scripts/ on the path)
from benchmark import bare_project
from projectpaths import mkdocs_env


@pytest.mark.parametrize("same_theme", [True, False])
def test_reference_project_links_only_files_it_has(tmp_path, same_theme):
    pages = tmp_path / "pages"
    (pages / "schools").mkdir(parents=True)
    (pages / "index.md").write_text("# Главная\n", encoding="utf-8")
    project = bare_project(tmp_path / "bare", pages, same_theme)
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["theme"]["name"] == "material"
    linked = config.get("extra_css", []) + [s["path"] for s in config.get("extra_javascript", [])]
    assert bool(linked) == same_theme
    assert all((project / "docs" / path).is_file() for path in linked), linked
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", "site"], cwd=project,
                           capture_output=True, text=True, env=mkdocs_env())
    assert built.returncode == 0, built.stderr[-2000:]
    assert (project / "site" / "index.html").is_file()


def test_the_lighthouse_copies_are_served_compressed_as_github_pages_serves_them(tmp_path):
    import gzip
    import urllib.request

    from browsing import served

    (tmp_path / "page").mkdir()
    (tmp_path / "page" / "index.html").write_text("<p>Школа</p>" * 50, encoding="utf-8")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG" + bytes(200))

    def get(url, gzip_ok=True):
        request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
        with urllib.request.urlopen(request) as response:
            return response.headers.get("Content-Encoding"), response.read()

    with served(tmp_path, compressed=True) as url:
        encoding, body = get(url + "/page/")
        assert encoding == "gzip" and gzip.decompress(body).decode("utf-8") == "<p>Школа</p>" * 50
        assert len(body) < 200
        assert get(url + "/page/", gzip_ok=False) == (None, ("<p>Школа</p>" * 50).encode("utf-8"))
        assert get(url + "/logo.png")[0] is None  # images are sent as they are
    with served(tmp_path) as url:
        assert get(url + "/page/")[0] is None

"""The project's stylesheets and scripts reach readers as one stylesheet and one deferred script."""

from __future__ import annotations

import re

from amp import bundle
from projectpaths import ROOT


def test_a_page_links_one_project_stylesheet_and_one_deferred_project_script(built_minimal_site):
    html = (built_minimal_site / "schools" / "alpha" / "index.html").read_text(encoding="utf-8")
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    scripts = re.findall(r"<script[^>]* src=\"([^\"]+)\"[^>]*>", html)
    theirs = [s for s in stylesheets if "/assets/stylesheets/" not in s]
    assert theirs == ["../../assets/amp.css"]
    assert [s for s in scripts if "/assets/javascripts/" not in s] == ["../../assets/amp.js"]
    assert '<script src="../../assets/amp.js" defer>' in html
    # The sources are in the bundles and are not published on their own.
    for path in bundle.sources(ROOT / "docs", bundle.STYLESHEET) + bundle.sources(ROOT / "docs", bundle.SCRIPT):
        assert not (built_minimal_site / path).exists(), path
    published = (built_minimal_site / "assets" / "amp.js").read_text(encoding="utf-8")
    assert (ROOT / "docs" / "javascripts" / "tablesort.js").read_text(encoding="utf-8").strip() in published


def test_scripts_keep_their_order_and_a_new_file_is_bundled_too(tmp_path):
    (tmp_path / "javascripts").mkdir()
    for name in ("school-filter.js", "site-search.js", "a-new.js", "tablesort.js"):
        (tmp_path / "javascripts" / name).write_text(f"var x = '{name}'", encoding="utf-8")
    assert bundle.sources(tmp_path, bundle.SCRIPT) == [
        "javascripts/tablesort.js", "javascripts/site-search.js", "javascripts/school-filter.js", "javascripts/a-new.js"]


def test_same_sources_same_bytes_and_an_edit_is_read_on_the_next_build(tmp_path):
    for folder, name, text in (("stylesheets", "amp.css", "a { color: red }"), ("javascripts", "tablesort.js", "f()")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / name).write_text(text, encoding="utf-8")
    first = bundle.make(tmp_path)
    assert first == bundle.make(tmp_path)
    (tmp_path / "stylesheets" / "amp.css").write_text("a { color: blue }", encoding="utf-8")
    assert "color: blue" in bundle.make(tmp_path)[bundle.STYLESHEET]
    # A script without a final «;» does not run into the next one.
    (tmp_path / "javascripts" / "site-search.js").write_text("(function () {})()", encoding="utf-8")
    assert "f()\n;\n/* javascripts/site-search.js */" in bundle.make(tmp_path)[bundle.SCRIPT]


def test_make_serve_shows_an_edit_to_a_stylesheet(tmp_path):
    import subprocess
    import sys

    from projectpaths import FIXTURES, copy_project, mkdocs_env
    from test_preview import free_port, wait_for

    project = copy_project(tmp_path / "p", FIXTURES / "minimal" / "data")
    port = free_port()
    with open(tmp_path / "serve.log", "w+", encoding="utf-8") as log:
        # As make serve runs it: --dirty rebuilds only what changed.
        server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "--no-strict",
                                   "-a", f"127.0.0.1:{port}"], cwd=project, stdout=log, stderr=subprocess.STDOUT,
                                  env=mkdocs_env())
        try:
            url = f"http://127.0.0.1:{port}/assets/amp.css"
            wait_for(url, ".amp-a11y-bar")
            source = project / "docs" / "stylesheets" / "amp.css"
            source.write_text(source.read_text(encoding="utf-8") + "\n.amp-edited-now { color: red; }\n",
                              encoding="utf-8")
            wait_for(url, ".amp-edited-now")
        finally:
            server.terminate()
            server.wait(timeout=30)

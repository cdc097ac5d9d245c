"""A look renders itself in a real Jupyter kernel, as HTML with the charts' scripts."""

from __future__ import annotations

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")


@pytest.mark.slow
def test_a_look_renders_as_html_in_a_notebook(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell(
            "import tinkerlab as tl\nlook = tl.look('penguins', record=False)\nlook"
        )
    ]
    nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3").execute(cwd=str(tmp_path))
    (output,) = notebook.cells[0].outputs
    html = output["data"]["text/html"]
    assert html.startswith('<div class="tl-look">')
    assert "vegaEmbed(" in html
    assert "Look: penguins" in html
    assert output["data"]["text/plain"].startswith("Look('penguins'")

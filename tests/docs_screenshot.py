"""Docs pages without quarto: nbdev's notebook processing on a copy of the project, nbconvert HTML, chromium screenshots.

Run: `python tests/docs_screenshot.py OUT` (e.g. /tmp/docshots). Writes `OUT/build/` (copy of the project and its `_proc/`),
one `OUT/<page>.html` per notebook and, if `chromium` is on PATH, `OUT/<page>.png`. `tests/test_docs.py` reuses the helpers.
Math needs MathJax 2, from its CDN by default; offline, point `MATHJAX_URL` at a local copy
(`npm install mathjax@2.7.7`, then `MATHJAX_URL=file://$PWD/node_modules/mathjax/MathJax.js?config=TeX-AMS_CHTML-full`).
"""
import json, os, re, shutil, subprocess, sys, tempfile
from pathlib import Path
import nbformat, yaml
from fastcore.xtras import working_directory
from nbconvert import HTMLExporter
from traitlets.config import Config

ROOT = Path(__file__).resolve().parents[1]
IMG = re.compile(r'<img [^>]*src="data:image/png;base64,')


def doc_nbs(nbs=ROOT/'nbs'):
    "Notebooks nbdev renders: `*.ipynb` under `nbs`, relative, skipping names and folders starting with `_` or `.`."
    return sorted(p.relative_to(nbs) for p in nbs.rglob('*.ipynb') if not any(o[0] in '_.' for o in p.relative_to(nbs).parts))


def proc_docs(dest):
    "Copy settings.ini and nbs/ into `dest` and run what `nbdev_docs` does before quarto there; return `dest/_proc`."
    from nbdev.config import get_config
    from nbdev.quarto import refresh_quarto_yml, nbdev_sidebar
    from nbdev.serve import proc_nbs
    dest = Path(dest)
    shutil.copy(ROOT/'settings.ini', dest)
    shutil.copytree(ROOT/'nbs', dest/'nbs', ignore=shutil.ignore_patterns('.ipynb_checkpoints'))  # follows the _quarto.yml link
    get_config.cache_clear()  # the config is cached per process, and found from the cwd
    try:
        with working_directory(dest):
            refresh_quarto_yml()  # writes nbs/nbdev.yml
            nbdev_sidebar.__wrapped__()  # writes nbs/sidebar.yml
            return proc_nbs(force=True)
    finally: get_config.cache_clear()


def to_html(nb_path, mathjax_url=None):
    "Standalone HTML of a processed notebook, doing what quarto would: title from the frontmatter, `echo: false` inputs hidden."
    d = json.loads(Path(nb_path).read_text())
    for c in d['cells']: c.pop('has_sd', None)  # nbdev's mark on the show_doc cells it adds; nbformat rejects it
    nb = nbformat.reads(json.dumps(d), as_version=4)
    fm = {}
    if nb.cells and nb.cells[0].cell_type == 'raw' and (m := re.match(r'---\n(.*?)\n---', nb.cells[0].source, re.S)):
        fm = yaml.safe_load(m[1])
        nb.cells[0] = nbformat.v4.new_markdown_cell(f"# {fm.get('title', '')}\n\n{fm.get('description', '')}")
    for c in nb.cells:
        if c.cell_type == 'code' and re.search(r'^#\|\s*echo:\s*false', c.source, re.M): c.metadata.setdefault('tags', []).append('hide-input')
    cfg = Config(TagRemovePreprocessor=dict(enabled=True, remove_input_tags={'hide-input'}),
                 HTMLExporter=dict(exclude_input_prompt=True, exclude_output_prompt=True))
    exp = HTMLExporter(config=cfg)
    if mathjax_url: exp.mathjax_url = mathjax_url
    page, _ = exp.from_notebook_node(nb, resources={'metadata': {'name': fm.get('title', nb_path.stem)}})
    return re.sub(r'(</a>)\{[^}<]*\}', r'\1', page)  # pandoc link attributes (`[source](...){target=...}`) are quarto's


def screenshot(html, png, size='1200,3000'):
    "Headless chromium screenshot of the local page `html` into `png`."
    with tempfile.TemporaryDirectory() as prof:
        subprocess.run(['chromium', '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                        '--disable-background-networking', '--disable-component-update', '--disable-sync', '--hide-scrollbars',
                        '--virtual-time-budget=10000', f'--user-data-dir={prof}', f'--screenshot={png}', f'--window-size={size}', Path(html).resolve().as_uri()],
                       check=True, capture_output=True, timeout=120)


def main(out):
    "Process the notebooks, write one HTML page per notebook into `out`, screenshot them if chromium is available."
    out = Path(out); shutil.rmtree(out/'build', ignore_errors=True); (out/'build').mkdir(parents=True)
    proc = proc_docs(out/'build')
    for rel in doc_nbs(out/'build'/'nbs'):
        html = (out/rel).with_suffix('.html')
        html.parent.mkdir(parents=True, exist_ok=True)
        html.write_text(to_html(proc/rel, os.environ.get('MATHJAX_URL')))
        if shutil.which('chromium'): screenshot(html, html.with_suffix('.png'))
        print(html, '+ png' if shutil.which('chromium') else '(no chromium: no screenshot)')


if __name__ == '__main__': main(sys.argv[1] if len(sys.argv) > 1 else '/tmp/docshots')

"""The docs build as far as it goes without quarto: nbdev's notebook processing on a copy of the project, then nbconvert HTML.

Notebooks are not executed: pages show the outputs saved in them, as `nbdev_docs` would. Helpers: `tests/docs_screenshot.py`.
"""
import ast, html, json, re
import pytest, yaml
from nbdev.showdoc import showdoc_nm
from docs_screenshot import ROOT, IMG, doc_nbs, proc_docs, to_html

PAGES = [str(p) for p in doc_nbs()]
DOCUMENTED = ['Strokes', 'strokes_from_json', 'render']  # spot checks, on whichever page they live
HAS_FIGS = {'00_core.ipynb', '01_renderer.ipynb'}
HIDDEN = {'export', 'exporti', 'hide', 'default_exp'}  # directives of cells nbdev drops from the docs
LEAK = re.compile(r'#\|\s*(export|exporti|hide|default_exp)\b')


@pytest.fixture(scope='module')
def site(tmp_path_factory):
    "`(nbs, _proc, pages)`: the copied notebooks, nbdev's processed output (in a tmp dir) and the HTML of each page."
    d = tmp_path_factory.mktemp('docs')
    proc = proc_docs(d)
    return d/'nbs', proc, {n: to_html(proc/n) for n in PAGES}


def cells(path, kind='code'): return [c for c in json.loads(path.read_text())['cells'] if c['cell_type'] == kind]
def src(c): return ''.join(c['source'])
def dirs(c): return set(re.findall(r'^#\|\s*([\w-]+)', src(c), re.M))
def n_figs(cs): return sum('image/png' in o.get('data', {}) for c in cs for o in c.get('outputs', []))
def has_doc(nm, page): return re.search(rf'<h3[^>]*>{re.escape(nm)}\b', page)


def exported_names(path):
    "Names nbdev documents: public top-level defs and classes in `#| export` cells, as `show_doc` titles them."
    trees = [ast.parse(src(c)) for c in cells(path) if dirs(c) & {'export', 'exports'} and 'hide' not in dirs(c)]
    return [showdoc_nm(o) for t in trees for o in t.body if isinstance(o, (ast.FunctionDef, ast.ClassDef)) and not o.name.startswith('_')]


def test_proc(site):
    "Every notebook is processed; `_quarto.yml` and the metadata files it names are in `_proc`; the sidebar lists every page."
    nbs, proc, _ = site
    assert proc == nbs.parent/'_proc'
    assert sorted(str(p) for p in doc_nbs(nbs)) == sorted(str(p.relative_to(proc)) for p in proc.rglob('*.ipynb'))
    assert (proc/'_quarto.yml').read_text() == (ROOT/'_quarto.yml').read_text()
    for f in yaml.safe_load((proc/'_quarto.yml').read_text()).get('metadata-files', []): assert yaml.safe_load((proc/f).read_text()), f
    sidebar = (proc/'sidebar.yml').read_text()
    for p in doc_nbs(nbs): assert str(p) in sidebar


def test_spot_checks(site):
    "Key API is documented somewhere."
    for nm in DOCUMENTED: assert any(has_doc(nm, p) for p in site[2].values()), f'no show_doc for {nm}'


@pytest.mark.parametrize('name', PAGES)
def test_page(site, name):
    "Title, `show_doc` sections, figures; no exported source, directives or tracebacks."
    nbs, proc, pages = site
    page = pages[name]
    title = re.search(r'^#\s+(.+?)\s*$', src(cells(nbs/name, 'markdown')[0]), re.M)
    assert title, 'first markdown cell needs a `# Title` line'
    assert re.search(rf'<h1[^>]*>{re.escape(html.escape(title[1], quote=False))}', page), title[1]
    for nm in exported_names(nbs/name): assert has_doc(nm, page), f'no show_doc for {nm}'
    figs = n_figs(c for c in cells(nbs/name) if not dirs(c) & HIDDEN)
    assert len(IMG.findall(page)) == figs
    if name in HAS_FIGS: assert figs > 0, 'no saved figures: run the notebook before saving'
    leaks = LEAK.findall(html.unescape(re.sub(r'<[^>]+>', '', page)))
    assert not leaks, f'directives of hidden cells in the page: {leaks}'
    assert not any(o['output_type'] == 'error' for c in cells(proc/name) for o in c.get('outputs', []))
    assert 'Traceback' not in page

"""The docs sidebar groups pages by system. nbdev's own sidebar generation (`nbdev_sidebar`) lists the notebooks
in order; this regroups that list into one section per system (the dotted name of a notebook is its subpackage)
and writes `nbs/sidebar.yml` (settings.ini has `custom_sidebar = True`, so nbdev_docs uses it as it is).
`python tests/test_sidebar.py` rewrites it; the test fails when a notebook is missing from it."""
import contextlib, io, re
from pathlib import Path
import yaml

ROOT = Path(__file__).resolve().parents[1]
SECTIONS = {'': 'Foundation', 'data': 'Data', 'train': 'Training', 'trace': 'Tracer', 'captcha': 'Captcha', 'vq': 'VQ',
            'anytext': 'AnyText', 'cli': 'Command line'}


def nbdev_order() -> list:
    "The pages in the order nbdev's sidebar generation gives them."
    import os
    from nbdev.quarto import nbdev_sidebar
    old = os.getcwd(); os.chdir(ROOT)
    try:
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf): nbdev_sidebar(force=True, printit=True)
    finally: os.chdir(old)
    return yaml.safe_load(buf.getvalue())['website']['sidebar']['contents']


def system_of(page: str) -> str:
    if re.match(r'^9\d', page): return 'cli'
    stem = page.removesuffix('.ipynb').split('_', 1)[-1]                # '03a_data.inkstyle' -> 'data.inkstyle'
    return stem.split('.')[0] if '.' in stem else ''


def grouped() -> dict:
    pages = nbdev_order()
    secs = {}
    for p in pages:
        if p == 'index.ipynb': continue
        secs.setdefault(SECTIONS.get(system_of(p), system_of(p)), []).append(p)
    order = [s for s in SECTIONS.values() if s in secs] + [s for s in secs if s not in SECTIONS.values()]
    contents = ['index.ipynb'] + [{'section': s, 'contents': secs[s]} for s in order]
    return {'website': {'sidebar': {'contents': contents}}}


def test_sidebar_is_grouped_by_system_and_complete():
    have = yaml.safe_load((ROOT / 'nbs' / 'sidebar.yml').read_text())
    assert have == grouped(), "nbs/sidebar.yml is out of date: run `python tests/test_sidebar.py`"
    names = [s['section'] for s in have['website']['sidebar']['contents'][1:]]
    assert names[:4] == ['Foundation', 'Data', 'Training', 'Tracer']


if __name__ == '__main__':
    (ROOT / 'nbs' / 'sidebar.yml').write_text(yaml.dump(grouped(), sort_keys=False, allow_unicode=True))
    print(f"wrote {ROOT / 'nbs' / 'sidebar.yml'}")

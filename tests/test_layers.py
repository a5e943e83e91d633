"""The package's import structure, read from its own source with `ast`: imports flow one way,
foundation <- data <- train <- heads (trace | captcha | vq | anytext) <- cli, a head never imports a sibling
head, and no module imports itself through a cycle (imports inside functions count too)."""
import ast
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / 'inktrace'
FOUNDATION = {'core', 'io', 'renderer', 'losses', 'perceptual', 'registry', 'images', '_modidx', '__init__'}
HEADS = {'trace', 'captcha', 'vq', 'anytext'}
LAYER = {'data': 1, 'train': 2, **{h: 3 for h in HEADS}, 'cli': 4, '__main__': 4}


def module_name(path: Path, root: Path = PKG.parent) -> str:
    rel = path.relative_to(root).with_suffix('')
    parts = list(rel.parts)
    if parts[-1] == '__init__': parts = parts[:-1]
    return '.'.join(parts)


def imports_of(path: Path, root: Path = PKG.parent) -> set:
    "The `inktrace.*` modules that a file imports (absolute or relative, at any depth of the code); `root`: the folder holding the package."
    me = module_name(path, root)
    pkg = me.split('.') if path.name == '__init__.py' else me.split('.')[:-1]
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding='utf-8'))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.split('.')[0] == 'inktrace'}
        elif isinstance(node, ast.ImportFrom):
            if node.level: base = '.'.join(pkg[:len(pkg) - node.level + 1] + ([node.module] if node.module else []))
            else: base = node.module or ''
            if base.split('.')[0] != 'inktrace': continue
            for a in node.names:                       # `from inktrace.train import cli` imports a module
                sub = f"{base}.{a.name}"
                out.add(sub if (PKG.parent / sub.replace('.', '/')).with_suffix('.py').exists() or (PKG.parent / sub.replace('.', '/')).is_dir() else base)
    return out - {me}


def layer_of(mod: str) -> tuple:
    "(layer number, system) of `inktrace.X...`: 0 for the foundation."
    parts = mod.split('.')
    if len(parts) == 1: return 0, None
    top = parts[1]
    if top in FOUNDATION: return 0, None
    return LAYER[top], top


def graph() -> dict:
    return {module_name(p): imports_of(p) for p in PKG.rglob('*.py')}


def test_every_top_level_name_is_known():
    tops = {p.relative_to(PKG).parts[0].removesuffix('.py') for p in PKG.rglob('*.py')}
    unknown = tops - FOUNDATION - set(LAYER)
    assert not unknown, f"modules/packages with no layer in tests/test_layers.py: {sorted(unknown)}"


def test_imports_flow_one_way():
    bad = []
    for mod, deps in graph().items():
        lm, sm = layer_of(mod)
        for d in deps:
            ld, sd = layer_of(d)
            if ld > lm: bad.append(f"{mod} (layer {lm}) imports {d} (layer {ld})")
            elif ld == lm == 3 and sd != sm: bad.append(f"{mod} imports the sibling head package {d}")
    assert not bad, "\n".join(sorted(bad))


def test_no_import_cycle():
    g = graph()
    state, stack, cycles = {}, [], []
    def visit(m):
        state[m] = 1; stack.append(m)
        for d in sorted(g.get(m, ())):
            if d not in g: continue
            if state.get(d) == 1: cycles.append(stack[stack.index(d):] + [d])
            elif not state.get(d): visit(d)
        stack.pop(); state[m] = 2
    for m in sorted(g):
        if not state.get(m): visit(m)
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_checker_sees_a_violation(tmp_path):
    "The checker itself: a relative import of a higher layer is caught."
    f = tmp_path / 'inktrace' / 'data' / '_probe_tmp.py'              # a copy of the layout in tmp_path: the package source is never written
    f.parent.mkdir(parents=True); f.write_text("from ..train import pipeline\n")
    assert 'inktrace.train.pipeline' in imports_of(f, tmp_path)
    assert layer_of('inktrace.data._probe_tmp')[0] < layer_of('inktrace.train.pipeline')[0]

"Bad input to the data sources (KanjiVG, font files, Hershey fonts) gives a clear error or a counted skip, never a deep traceback."
import importlib.metadata, json
import pytest
import inktrace.data.kanjivg as kv
from inktrace.data.kanjivg import KanjiVGError, read_kanjivg, parse_kanjivg, load_kanjivg, kanjivg_split, cache_dir, kanjivg_dir
from inktrace.data.fonts import FontError, GlyphError, list_fonts, load_font, render_glyph, render_text, font_chars
from inktrace.data.hershey import hershey_strokes, hershey_chars

GOOD = '''<svg xmlns="http://www.w3.org/2000/svg" xmlns:kvg="http://kanjivg.tagaini.net" viewBox="0 0 109 109">
<g id="kvg:StrokePaths_04e00" style="stroke-width:3"><g id="kvg:04e00" kvg:element="一">
<path id="kvg:04e00-s1" kvg:type="㇐" d="M11,54.25c3.05,0.62,6.49,0.6,9.55,0.25c15.7-1.8,41.89-4.6,65.5-4.25c3.26,0.05,6.33,0.35,9.5,0.75"/>
</g></g></svg>'''


@pytest.mark.parametrize("name,text,reason,msg", [
    ("04e00.svg", "<svg><g id='kvg:StrokePaths_04e00'><path d='M 1 1 L'/>", "xml", "not valid XML"),
    ("04e01.svg", "<svg viewBox='0 0 109 109'><path d='M1,1 L5,5'/></svg>", "no-strokes", "no <g id='kvg:StrokePaths_...'>"),
    ("04e02.svg", "<svg viewBox='0 0 109 109'><g id='kvg:StrokePaths_04e02'/></svg>", "no-strokes", "holds no <path>"),
    ("04e03.svg", "<svg viewBox='0 0 109 109'><g id='kvg:StrokePaths_04e03'><path id='x-s1' d='M 1 1 L q 2'/></g></svg>", "bad-path", "stroke 1 (id x-s1): cannot read d="),
    ("04e04.svg", "<svg viewBox='0 0 109 109'><g id='kvg:StrokePaths_04e04'><path d='M1,1 L5,5 M9,9 L10,10'/></g></svg>", "bad-path", "2 separate pieces"),
    ("04e05.svg", "<svg viewBox='0 0 109 109'><g id='kvg:StrokePaths_04e05'><path d=''/></g></svg>", "bad-path", "no segments"),
    ("readme.svg", GOOD, "bad-name", "file name is not <hex code point>"),
])
def test_bad_kanjivg_file(tmp_path, name, text, reason, msg):
    f = tmp_path / name; f.write_text(text, encoding="utf-8")
    with pytest.raises(KanjiVGError) as e: read_kanjivg(f)
    assert e.value.reason == reason and msg in str(e.value) and name in str(e.value)


def test_bad_files_are_skipped_and_counted(tmp_path):
    (tmp_path / "04e00.svg").write_text(GOOD, encoding="utf-8")
    (tmp_path / "04e01.svg").write_text("<svg", encoding="utf-8")
    (tmp_path / "04e02.svg").write_bytes(b"\xff\xfe\x00garbage")
    ks = parse_kanjivg(kv.kanjivg_files(tmp_path) + [tmp_path / "04e09.svg"])   # the last one does not exist
    assert [d.char for d in ks] == ["一"] and ks[0].strokes.labels == ["㇐"] and ks[0].groups == [("一",)]
    assert ks.report["files"] == 4 and ks.report["parsed"] == 1 and sum(ks.report["failed"].values()) == 3
    assert ks.report["failed"]["unreadable"] == 1 and {r for _, r, _ in ks.report["failures"]} <= {"xml", "unreadable"}


def test_missing_kanjivg_package(monkeypatch):
    def nope(name): raise importlib.metadata.PackageNotFoundError(name)
    monkeypatch.setattr(importlib.metadata, "version", nope)
    kv.kanjivg_version.cache_clear(); kv.kanjivg_dir.cache_clear()
    try:
        with pytest.raises(ModuleNotFoundError, match="install the PyPI package `kanjivg`"): kanjivg_dir()
    finally: kv.kanjivg_version.cache_clear(); kv.kanjivg_dir.cache_clear()


def test_bad_split_arguments_and_file(tmp_path):
    with pytest.raises(ValueError, match="split must be None or one of"): load_kanjivg("tset", n=1, cache=False)
    bad = tmp_path / "split.json"; bad.write_text("{oops")
    with pytest.raises(ValueError, match="split.json is not valid JSON"): kanjivg_split(path=bad)
    with pytest.raises(FileNotFoundError, match="missing from the package"): kanjivg_split(path=tmp_path / "none.json")


def test_shipped_split_file():
    js = json.loads(kv.SPLIT_FILE.read_text(encoding="utf-8"))
    assert set(js) >= {"rule", "kanjivg_version", "valid", "test"} and not set(js["valid"]) & set(js["test"])
    assert all(kv.split_of(c) == "test" for c in js["test"]) and kanjivg_split(js["test"][0]) == "test"


def test_cache_dir_and_corrupt_cache(tmp_path, monkeypatch):
    monkeypatch.delenv("INKTRACE_CACHE", raising=False); monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "inktrace"
    monkeypatch.setenv("INKTRACE_CACHE", str(tmp_path / "c"))
    assert cache_dir() == tmp_path / "c"
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / f"kanjivg-{kv.kanjivg_version()}-f{kv._CACHE_FORMAT}-tol0.1.npz").write_bytes(b"not an npz")
    with pytest.warns(UserWarning, match="cache .* is unreadable"): ks = load_kanjivg(chars="永")
    assert [d.name for d in ks] == ["06c38"] and len(ks[0].strokes) == 5


@pytest.fixture
def caveat(): return list_fonts()["caveat"]

@pytest.mark.parametrize("make,msg", [
    (lambda p, c: p.write_bytes(b"definitely not a font" * 10), "not a readable TrueType / OpenType font"),
    (lambda p, c: p.write_bytes(b""), "the font file is empty"),
    (lambda p, c: p.write_bytes(c.read_bytes()[:c.stat().st_size // 2]), "truncated font file"),
    (lambda p, c: p.write_bytes(c.read_bytes()[:200]), "bad.ttf"),
])
def test_broken_font_files(tmp_path, caveat, make, msg):
    f = tmp_path / "bad.ttf"; make(f, caveat)
    for call in (lambda: load_font(f, 32), lambda: render_glyph("A", f), lambda: font_chars(f)):
        with pytest.raises(FontError) as e: call()
        assert msg in str(e.value) and "bad.ttf" in str(e.value)


def test_missing_fonts_and_glyphs(tmp_path):
    with pytest.raises(FileNotFoundError, match="font file not found: .*nope.otf"): load_font(tmp_path / "nope.otf")
    with pytest.raises(FileNotFoundError, match="font file not found"): render_glyph("A", str(tmp_path / "nope.ttf"))
    with pytest.raises(FontError, match="unknown font 'papyrus': installed fonts are .*caveat"): render_glyph("A", "papyrus")
    with pytest.raises(FontError, match="is a folder"): load_font(tmp_path)
    with pytest.raises(FontError, match="positive integer"): load_font("caveat", -3)
    with pytest.raises(GlyphError, match=r"'caveat' .* has no glyph for '永' \(U\+6C38\)"): render_glyph("永", "caveat")
    with pytest.raises(GlyphError, match="one character"): render_glyph("AB", "caveat")
    with pytest.raises(GlyphError, match="one non-empty line"): render_text("a\nb", "caveat")
    with pytest.raises(GlyphError, match=r"U\+6C38"): render_text("ok 永", "kalam")
    with pytest.raises(ValueError, match="fit must be"): render_glyph("A", "caveat", fit="stretch")


def test_fonts_render():
    assert {"noto-sans-cjk", "caveat", "dancing-script", "indie-flower", "kalam"} <= set(list_fonts())
    im = render_glyph("永", size=(40, 56))
    assert im.shape == (1, 40, 56) and 0 <= float(im.min()) and float(im.max()) <= 1 and float(im.max()) > 0.9
    assert render_text("Hi", "caveat", height=20).shape[:2] == (1, 20)


def test_bad_hershey_input():
    with pytest.raises(FontError, match="unknown Hershey font 'futura': available are .*futural"): hershey_strokes("A", "futura")
    with pytest.raises(GlyphError, match=r"no glyph for 'ß' \(U\+00DF\)"): hershey_strokes("Straße")
    with pytest.raises(GlyphError, match="non-empty string"): hershey_strokes("")
    with pytest.raises(GlyphError, match="draws nothing"): hershey_strokes("   ")
    with pytest.raises(ValueError, match="margin must be in"): hershey_strokes("A", margin=0.7)
    d = hershey_strokes("Ab", "rowmans")
    assert set(d.labels) == {"A", "b"} and all(((p >= 0) & (p <= 1)).all() for p in d.pts)
    assert "A" in hershey_chars("rowmans")

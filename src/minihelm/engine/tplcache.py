"""Template files (name, source) -> compiled trees, cached in memory and on disk.

Parsing, translating (codegen) and compiling a chart's templates is the slow
part of a render.  Every file is parsed (helm reports parse errors in any
template), but a tree is translated and compiled only when it first runs:
charts define many helpers they never call.  The compiled Python code is
kept on disk per file, keyed by a hash of the file's name and text, the
function table and minihelm's version, and the entry is rewritten when a
tree gains code.  A warm run neither parses, translates nor compiles; the
AST is rebuilt only when an error needs its node table or a tree that never
ran before runs.

The folder is `$MINIHELM_CACHE_DIR`, else `$XDG_CACHE_HOME/minihelm`, else
`~/.cache/minihelm`.  Entries are written atomically (temp file + rename), so
concurrent processes never see half an entry; an unreadable entry is rebuilt.
"""

from __future__ import annotations

import marshal
import sys
from collections.abc import Container, Mapping
from pathlib import Path
from types import CodeType
from typing import TYPE_CHECKING, Any

from .. import __version__
from .._core.cachedir import blake2b, cache_root, store
from ..records import Record

if TYPE_CHECKING:
    from ..gotemplate.jinjaexec import Render

CACHE_FORMAT = "9"
Params = Mapping[str, tuple[tuple[str, ...], bool]]


class TreeCode(Record):
    """One compiled template: everything execution needs, and what an error needs to rebuild."""

    __slots__ = ("code", "empty", "key", "name", "nodes", "nslots", "packed", "parse_name",
                 "render", "source", "tree")
    _fields = ("name", "parse_name", "source", "empty", "code", "nslots", "key", "render",
               "nodes", "tree", "packed")

    def __init__(self, name: str, parse_name: str, source: str, empty: bool,
                 code: CodeType | None, nslots: int, key: str = "", render: Render | None = None,
                 nodes: list[Any] | None = None, tree: Any = None,
                 packed: bytes | None = None) -> None:
        self.name, self.parse_name, self.source, self.empty = name, parse_name, source, empty
        self.code = code  # None until the tree first runs
        self.nslots = nslots
        self.key = key  # the cache entry of the file it came from
        self.render = render  # the code bound (jinjaexec)
        self.nodes = nodes
        self.tree = tree  # the AST, while it is in memory
        # The code as a disk entry stores it: unmarshalled only when the tree first runs,
        # since a render runs few of the trees it loads (a replay, or a chart's helpers).
        self.packed = packed

    @property
    def compiled(self) -> bool:
        return self.code is not None or self.packed is not None

    def position(self, pos: int) -> Any:
        # deferred: only position() needs it: 4 modules this one does not otherwise load
        from ..gotemplate.nodes import source_position

        return source_position(self.source, self.parse_name, pos)


def default_cache_dir() -> Path:
    return Path(cache_root())


def fingerprint(params: Params) -> str:
    """A hash of the function table: names decide parse errors, parameter types the code."""
    h = blake2b(digest_size=32)
    for name in sorted(params):
        ps, variadic = params[name]
        h.update(f"{name}:{','.join(ps)}:{variadic};".encode())
    return h.hexdigest()


def compile_tree(name: str, tree: Any, params: Params) -> tuple[CodeType, Any]:
    """One Go tree -> Jinja2 AST (codegen) -> Python code, and what codegen produced."""
    # deferred: only compile_tree() needs it, and it brings jinja2
    from ..gotemplate import codegen
    from ..gotemplate.jinjacompile import compile_template

    gen = codegen.generate(tree, params)
    return compile_template(gen.template, name), gen


# Compiled files every TemplateCache of this process shares, once keep_in_memory() is called.
_kept: dict[str, dict[str, TreeCode]] | None = None


def keep_in_memory() -> None:
    """Let every later TemplateCache of this process share one memory of compiled files.

    Entries are keyed by content (file name, text, function table), so a
    render can only ever find the trees its own sources compile to.  The CLI's
    render server calls this before its warm-up render: its forked workers
    then start with the warm-up's trees compiled and bound, not read from disk.
    """
    global _kept
    if _kept is None:
        _kept = {}


class TemplateCache:
    """Compiled template files by content; `directory=None` keeps them in memory only."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory
        # Does compiled code outlive this render (a folder, or the render server's memory)?
        self.lasting = directory is not None or _kept is not None
        self._mem: dict[str, dict[str, TreeCode]] = _kept if _kept is not None else {}
        self._dirty: set[str] = set()
        self._keys: dict[tuple[str, str, str], str] = {}  # prefill and the engine both ask
        # Trees whose first run was evaluated from codegen's nodes (first_run), and those
        # nodes: compile_pending compiles them, and their files are stored only then.
        self.pending: list[tuple[TreeCode, Any]] = []
        # Files this process rendered without parsing (a helper did: tplsplit.py), for
        # compile_pending to parse and compile.
        self.unparsed: list[tuple[str, str, Container[str], Params, str]] = []

    def compile_file(self, name: str, source: str, funcs: Container[str], params: Params,
                     fp: str) -> dict[str, TreeCode]:
        """Every tree of one file (its own and its defines); code comes with code_for()."""
        key = self._key(name, source, fp)
        trees = self._recall(key, name, source)
        if trees is None:
            trees = self._mem[key] = self._parse(key, name, source, funcs)
            self._dirty.add(key)
        return trees

    def _recall(self, key: str, name: str, source: str) -> dict[str, TreeCode] | None:
        """A file's trees from memory, else from its disk entry (kept in memory then)."""
        trees = self._mem.get(key)
        if trees is None and self.directory is not None:
            trees = self._load(key, name, source)
            if trees is not None:
                self._mem[key] = trees
        return trees

    def _parse(self, key: str, name: str, source: str,
               funcs: Container[str]) -> dict[str, TreeCode]:
        # deferred: bound here only: the name means something else at module level
        from ..gotemplate.parser import is_empty_tree, parse

        return {tname: TreeCode(tname, tree.parse_name, source, is_empty_tree(tree.root), None,
                                0, key, tree=tree)
                for tname, tree in parse(source, name, funcs).items()}

    def code_for(self, tc: TreeCode, funcs: Container[str], params: Params) -> CodeType:
        """The compiled code of a tree, translating and compiling it on first use."""
        if tc.code is None and tc.packed is not None:
            try:
                code = marshal.loads(tc.packed)
            except (ValueError, EOFError, TypeError):
                code = None
            if isinstance(code, CodeType):
                tc.code = code
            else:
                tc.packed = None  # a damaged entry: compile it again below
        if tc.code is None:
            tree = tc.tree if tc.tree is not None else self._reparse(tc, funcs)
            tc.code, gen = compile_tree(tc.name, tree, params)
            tc.nslots, tc.nodes = gen.nslots, gen.nodes
            self._dirty.add(tc.key)
        return tc.code

    def first_run(self, tc: TreeCode, funcs: Container[str], params: Params,
                  names: Mapping[str, Any]) -> Render:
        """A render function for a tree with no code, evaluating codegen's nodes as they are
        (jinjaeval): no Jinja2 code generator or `compile` before the output."""
        # deferred: only first_run() needs them, and they bring jinja2's node classes
        from ..gotemplate import codegen
        from ..gotemplate.jinjaeval import grow, render_function

        tree = tc.tree if tc.tree is not None else self._reparse(tc, funcs)
        # lazy: the branches that never run are never translated (codegen.Deferred); the
        # node table and slot count grow as they are, and the code compiled later for
        # the cache comes from an eager translation, with the node table it numbers
        gen = codegen.generate(tree, params, lazy=True)
        tc.nslots, tc.nodes = gen.nslots, gen.nodes
        self.pending.append((tc, (tree, params)))
        render = render_function(gen.template, names)

        def first(own: dict[str, Any]) -> Any:
            grow(own["V"], gen.slots())  # slots the tree's earlier runs added
            return render(own)

        return first

    def compile_pending(self) -> None:
        """Compile the trees first_run evaluated and the files left unparsed, and store them.

        A file that does not parse was rendered by nobody (the render failed): it raises."""
        pending, self.pending = self.pending, []
        for tc, (tree, params) in pending:
            if tc.code is None:
                tc.code, gen = compile_tree(tc.name, tree, params)
                tc.nslots, tc.nodes = gen.nslots, gen.nodes  # the compiled code's numbering
                tc.render = None  # bound again from the code on its next run
                self._dirty.add(tc.key)
        unparsed, self.unparsed = self.unparsed, []
        for name, source, funcs, params, fp in unparsed:
            for tc in self.compile_file(name, source, funcs, params, fp).values():
                if not tc.compiled and not tc.empty:
                    self.code_for(tc, funcs, params)
        self.flush()

    def mark_dirty(self, tc: TreeCode) -> None:
        """A tree gained code outside code_for (tplparallel): store its file again."""
        self._dirty.add(tc.key)

    def _reparse(self, tc: TreeCode, funcs: Container[str]) -> Any:
        """The tree of an entry read without trees; its file's other uncompiled trees get
        theirs from the same parse (tplparallel leaves the defines it did not expect)."""
        # deferred: bound here only: the name means something else at module level
        from ..gotemplate.parser import parse

        parsed = parse(tc.source, tc.parse_name, funcs)
        for sibling in self._mem.get(tc.key, {}).values():
            if sibling.code is None and sibling.packed is None and sibling.name in parsed:
                sibling.tree = parsed[sibling.name]
        return parsed[tc.name]

    def flush(self) -> None:
        """Write the entries of files whose trees gained code since they were read."""
        waiting = {tc.key for tc, _ in self.pending}  # stored once compile_pending ran
        if self.directory is not None:
            for key in self._dirty - waiting:
                if key in self._mem:
                    self._store(key, self._mem[key])
        self._dirty &= waiting

    def known(self, name: str, source: str, fp: str) -> bool:
        """Is this file in memory or on disk already (nothing to parse or compile)?

        A disk entry is read now, into memory: the engine asks for it next.
        """
        return self._recall(self._key(name, source, fp), name, source) is not None

    def rows(self, name: str, source: str, fp: str) -> list[tuple[Any, ...]]:
        """The stored form of a file's trees (what a disk entry holds), for another process."""
        return _rows(self._mem[self._key(name, source, fp)])

    def adopt(self, name: str, source: str, fp: str, rows: list[tuple[Any, ...]]) -> None:
        """Take a file's trees as another process compiled them; store them at flush."""
        key = self._key(name, source, fp)
        if key not in self._mem:
            self._mem[key] = _trees(rows, source, key)
            self._dirty.add(key)

    @staticmethod
    def node_table(tc: TreeCode, funcs: Container[str], params: Params) -> list[Any]:
        """The node table of a compiled tree, rebuilt from its source when first needed."""
        if tc.nodes is None:
            from ..gotemplate import codegen
            from ..gotemplate.parser import parse

            tree = tc.tree or parse(tc.source, tc.parse_name, funcs)[tc.name]
            tc.nodes = codegen.generate(tree, params).nodes
        return tc.nodes

    def _key(self, name: str, source: str, fp: str) -> str:
        key = self._keys.get((name, source, fp))
        if key is None:
            key = self._keys[name, source, fp] = _entry_key(name, source, fp)
        return key

    def _path(self, key: str) -> Path:
        assert self.directory is not None
        # One flat folder: creating a fan-out of 256 subfolders cost a cold render
        # more (0.15 s) than any lookup saves.
        return self.directory / f"{key}.code"

    def _load(self, key: str, name: str, source: str) -> dict[str, TreeCode] | None:
        try:
            return _trees(marshal.loads(self._path(key).read_bytes()), source, key)
        except (OSError, ValueError, EOFError, TypeError, IndexError):
            return None  # missing or corrupt: rebuild it

    def _store(self, key: str, trees: dict[str, TreeCode]) -> None:
        store(self._path(key), marshal.dumps(_rows(trees)))


def _entry_key(name: str, source: str, fp: str) -> str:
    h = blake2b(digest_size=32)
    for part in (CACHE_FORMAT, __version__, sys.version, _jinja2_version(), fp, name):
        h.update(part.encode())
        h.update(b"\0")
    h.update(source.encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def _jinja2_version() -> str:
    """The installed Jinja2's version (its code generator wrote the code), without importing it.

    A render that finds all its code cached never needs jinja2 (jinjaexec.py),
    and importing it only to read `__version__` would cost 13 ms.
    """
    global _JINJA2_VERSION
    if _JINJA2_VERSION is None:
        _JINJA2_VERSION = _read_jinja2_version()
    return _JINJA2_VERSION


def _read_jinja2_version() -> str:
    loaded = sys.modules.get("jinja2")
    if loaded is None:
        from importlib.util import find_spec

        spec = find_spec("jinja2")
        origin = spec.origin if spec is not None else None
        try:
            with open(origin or "", encoding="utf-8") as f:
                for line in f:
                    if line.startswith("__version__ = "):
                        return line.split("=", 1)[1].strip().strip("\"'")
        except (OSError, UnicodeDecodeError):
            pass
    import jinja2

    return jinja2.__version__


_JINJA2_VERSION: str | None = None


def _rows(trees: dict[str, TreeCode]) -> list[tuple[Any, ...]]:
    return [(t.name, t.parse_name, t.empty,
             marshal.dumps(t.code) if t.code is not None else t.packed, t.nslots)
            for t in trees.values()]


def _trees(rows: list[tuple[Any, ...]], source: str, key: str) -> dict[str, TreeCode]:
    return {r[0]: TreeCode(r[0], r[1], source, r[2], None, r[4], key, packed=r[3])
            for r in rows}

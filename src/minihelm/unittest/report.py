"""Suite and test results -> helm-unittest's console text (printer, results) and XML report files.

The console layout is helm-unittest's: a `### Chart [ name ] path` header,
one ` PASS `/` FAIL `/` SKIP ` line per suite, failure details indented with
tabs, and the closing Charts/Test Suites/Tests/Snapshot/Time summary.
Colours follow fatih/color: on for a terminal unless NO_COLOR or TERM=dumb;
--color forces them on, --color=false off.
"""

from __future__ import annotations

import datetime
import os
import socket
import sys
from typing import IO, Any

from .job import JobResult

# style -> (SGR parameters, their resets): fatih/color ends a span with each
# attribute's own reset (22 for bold and faint), 0 for colours.
_STYLES = {"success": ("32", "0"), "success_bg": ("42;30", "0;0"), "danger": ("31", "0"),
           "danger_bg": ("41;37", "0;0"), "warning": ("33", "0"), "warning_bg": ("43;30", "0;0"),
           "highlight": ("1", "22"), "faint": ("2", "22")}


def color_default(stream: IO[str]) -> bool:
    """fatih/color's NoColor rule, inverted."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Printer:
    """printer.Printer: tab-indented lines, optional ANSI colours."""

    def __init__(self, stream: IO[str] | None = None, colored: bool | None = None) -> None:
        self.stream = stream if stream is not None else sys.stdout
        self.colored = color_default(self.stream) if colored is None else colored
        self.closed = False

    def line(self, content: str, indent: int = 0) -> None:
        if self.closed:
            return
        try:
            self.stream.write("\t" * indent + content + "\n")
        except BrokenPipeError:
            # `minihelm unittest ... | head`: the reader left; stop writing, quietly.
            self.closed = True
            if self.stream is sys.stdout:
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, sys.stdout.fileno())

    def paint(self, style: str, text: str) -> str:
        if not self.colored:
            return text
        on, off = _STYLES[style]
        return f"\x1b[{on}m{text}\x1b[{off}m"


class SuiteResult:
    """results.TestSuiteResult."""

    __slots__ = ("exec_error", "fail_fast", "file_path", "name", "passed", "skipped",
                 "snap_created", "snap_failed", "snap_total", "snap_vanished", "tests")

    def __init__(self, name: str = "", file_path: str = "", exec_error: str | None = None) -> None:
        self.name, self.file_path, self.exec_error = name, file_path, exec_error
        self.passed = self.skipped = self.fail_fast = False
        self.tests: list[JobResult] = []
        self.snap_total = self.snap_failed = self.snap_created = self.snap_vanished = 0

    def duration(self) -> float:
        return sum(t.duration for t in self.tests)


# --- console ------------------------------------------------------------------------------


def print_suite(p: Printer, s: SuiteResult) -> None:
    """TestSuiteResult.Print."""
    if s.skipped:
        label = p.paint("warning_bg", " SKIP ")
    elif s.passed:
        label = p.paint("success_bg", " PASS ")
    else:
        label = p.paint("danger_bg", " FAIL ")
    where = ""
    if s.file_path:
        d, b = os.path.split(s.file_path)
        where = p.paint("faint", (d or ".") + "/") + b
    p.line(f"{label} {p.paint('highlight', s.name)}\t{where}")
    if s.exec_error is not None:
        p.line(p.paint("highlight", "- Execution Error: "), 1)
        p.line(s.exec_error + "\n", 2)
        return
    for t in s.tests:
        print_test(p, t)


def print_test(p: Printer, t: JobResult) -> None:
    if t.passed:
        return
    if t.skipped:
        p.line(p.paint("highlight", "- ") + p.paint("warning_bg", "SKIPPED") +
               p.paint("warning", f" '{t.name}'"), 1)
        return
    if t.exec_error is not None:
        p.line(p.paint("highlight", f"- {t.name}"), 1)
        p.line(p.paint("highlight", f"Error: {t.exec_error}\n"), 2)
        return
    p.line(p.paint("danger", f"- {t.name}\n"), 1)
    for a in t.asserts:
        if a.passed:
            continue
        p.line(p.paint("danger", assert_title(a)), 2)
        for info in a.fail_info:
            p.line(info, 3)
        p.line("", 0)


def assert_title(a: Any) -> str:
    return f"- asserts[{a.index}]{' NOT' if a.not_ else ''} `{a.assert_type}` fail"


def test_text(t: JobResult) -> str:
    """TestJobResult.Stringify: the failure text of JUnit/NUnit reports."""
    out = []
    if t.skipped:
        out.append(f"SKIPPED '{t.name}' \n")
    if t.exec_error is not None:
        out.append(f"{t.exec_error}\n")
    for a in t.asserts:
        out.append(f"\t\t {assert_title(a)} \n")
        if not a.skipped:
            out += [f"\t\t\t {line} \n" for line in a.fail_info]
        else:
            out.append(f"\t\t\t {a.skip_reason} \n")
    return "".join(out)


def test_attr_text(t: JobResult) -> str:
    """StringifyToXmlAttribute: newlines become commas, tabs vanish."""
    return test_text(t).replace("\n", ",").replace("\t", "")


class Counting:
    """testUnitCounting."""

    __slots__ = ("errored", "failed", "passed", "skipped")

    def __init__(self) -> None:
        self.passed = self.failed = self.errored = self.skipped = 0

    def text(self, p: Printer) -> str:
        out = p.paint("danger", f"{self.failed} failed, ") if self.failed else ""
        if self.errored:
            out += f"{self.errored} errored, "
        if self.skipped:
            total = self.passed + self.failed + self.skipped
            return out + f"{self.passed} passed, {self.skipped} skipped, {total} total"
        return out + f"{self.passed} passed, {self.passed + self.failed} total"


def go_duration(seconds: float) -> str:
    """time.Duration.String for a non-negative duration."""
    ns = round(seconds * 1e9)
    if ns == 0:
        return "0s"
    if ns < 1000:
        return f"{ns}ns"
    if ns < 1_000_000:
        return _trim(f"{ns / 1e3:.3f}") + "µs"
    if ns < 1_000_000_000:
        return _trim(f"{ns / 1e6:.6f}") + "ms"
    out = ""
    h, rem = divmod(ns, 3_600_000_000_000)
    m, rem = divmod(rem, 60_000_000_000)
    if h:
        out += f"{h}h"
    if h or m:
        out += f"{m}m"
    return out + _trim(f"{rem / 1e9:.9f}") + "s"


def _trim(num: str) -> str:
    return num.rstrip("0").rstrip(".") if "." in num else num


# --- XML reports ------------------------------------------------------------------------------


def _xml_escape(s: str, attr: bool = True) -> str:
    """encoding/xml EscapeText: also quotes, tabs and line ends as character references."""
    out = []
    for ch in s:
        if ch == "&":
            out.append("&amp;")
        elif ch == "<":
            out.append("&lt;")
        elif ch == ">":
            out.append("&gt;")
        elif ch == '"':
            out.append("&#34;")
        elif ch == "'":
            out.append("&#39;")
        elif ch == "\t":
            out.append("&#x9;")
        elif ch == "\n":
            out.append("&#xA;")
        elif ch == "\r":
            out.append("&#xD;")
        elif (ord(ch) < 0x20 and ch not in "\t\n\r") or 0xD800 <= ord(ch) <= 0xDFFF \
                or ord(ch) in (0xFFFE, 0xFFFF):
            out.append("\ufffd")
        else:
            out.append(ch)
    return "".join(out)


class _El:
    """A minimal element tree printed like Go's xml.MarshalIndent(v, "", "\\t")."""

    def __init__(self, tag: str, attrs: list[tuple[str, str]] | None = None,
                 text: str | None = None, cdata: bool = False) -> None:
        self.tag, self.attrs, self.text, self.cdata = tag, attrs or [], text, cdata
        self.children: list[_El] = []

    def add(self, child: _El) -> _El:
        self.children.append(child)
        return child

    def render(self, depth: int = 0) -> str:
        pad = "\t" * depth
        attrs = "".join(f' {k}="{_xml_escape(v)}"' for k, v in self.attrs)
        head = f"{pad}<{self.tag}{attrs}>"
        if not self.children:
            return f"{head}{self._text()}</{self.tag}>"
        inner = "\n".join(c.render(depth + 1) for c in self.children)
        return f"{head}\n{inner}\n{pad}</{self.tag}>"


    def _text(self) -> str:
        text = self.text or ""
        if not self.cdata:
            return _xml_escape(text, False)
        # encoding/xml emitCDATA: nothing for "", and "]]>" split across two sections
        return "" if not text else "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _secs(d: float) -> str:
    return f"{d:.3f}"


def _classname(name: str) -> str:
    i = name.rfind("/")
    return name[i + 1:] if i > -1 else name


def junit(suites: list[SuiteResult], now: datetime.datetime | None = None,
          hostname: str | None = None) -> str:
    """jUnitReportXML: one <testsuite> per suite, one <testcase> per test (named by `it`)."""
    now = now or datetime.datetime.now()
    host = socket.gethostname() if hostname is None else hostname
    root = _El("testsuites")
    for i, s in enumerate(suites):
        failures = sum(1 for t in s.tests if not t.skipped and not t.passed and t.exec_error is None)
        errors = sum(1 for t in s.tests if not t.skipped and not t.passed and t.exec_error is not None)
        ts = root.add(_El("testsuite", [
            ("id", str(i)), ("tests", str(len(s.tests))), ("failures", str(failures)),
            ("errors", str(errors)), ("package", ""), ("time", _secs(s.duration())),
            ("name", s.name), ("timestamp", now.strftime("%Y-%m-%dT%H:%M:%S")),
            ("hostname", host)]))
        props = ts.add(_El("properties"))
        props.add(_El("property", [("name", "helm-unittest.version"), ("value", "1.6")]))
        for t in s.tests:
            tc = ts.add(_El("testcase", [("classname", _classname(s.name)), ("name", t.name),
                                          ("time", _secs(t.duration))]))
            if not t.skipped and not t.passed and t.exec_error is not None:
                tc.add(_El("error", [("message", "Error"), ("type", "")], t.exec_error))
            if t.skipped:
                tc.add(_El("skipped", [("message", test_attr_text(t))]))
            if not t.skipped and not t.passed and t.exec_error is None:
                tc.add(_El("failure", [("message", "Failed"), ("type", "")], test_attr_text(t)))
    return root.render() + "\n"


def _platform() -> str:
    import platform

    return f"python{platform.python_version()}.{sys.platform}-{platform.machine()}"


def _culture() -> tuple[str, str]:
    """jibber_jabber's DetectLanguage and DetectIETF from LC_ALL / LANG ("" when unset)."""
    loc = os.environ.get("LC_ALL") or os.environ.get("LANG") or ""
    loc = loc.split(".")[0]
    if not loc or loc in ("C", "POSIX"):
        return "", ""
    return loc.split("_")[0], loc.replace("_", "-")


def nunit(suites: list[SuiteResult], now: datetime.datetime | None = None) -> str:
    """nUnitReportXML (NUnit 2.5 test-results)."""
    import getpass

    now = now or datetime.datetime.now()
    total = errors = failures = skipped = 0
    kids: list[_El] = []

    def result(passed: bool, skip: bool) -> str:
        return "Skipped" if skip else "Success" if passed else "Failed"

    for s in suites:
        el = _El("test-suite", [
            ("type", "TestFixture"), ("name", s.name), ("description", s.file_path),
            ("success", _bool(s.passed)), ("time", _secs(s.duration())),
            ("executed", _bool(s.exec_error is None and not s.skipped)), ("asserts", ""),
            ("result", result(s.passed, s.skipped))])
        if s.exec_error is not None:
            total, errors = total + 1, errors + 1
            el.add(_failure_el("Error", s.exec_error))
            kids.append(el)
            continue
        cases = _El("results")
        for t in s.tests:
            total += 1
            tc = _El("test-case", [
                ("name", t.name), ("description", f"{_classname(s.name)}.{t.name}"),
                ("success", _bool(t.passed)), ("time", _secs(t.duration)),
                ("executed", _bool(t.exec_error is None and not t.skipped)), ("asserts", "0"),
                ("result", result(t.passed, t.skipped))])
            if not t.passed and not t.skipped:
                if t.exec_error is not None:
                    errors += 1
                else:
                    failures += 1
                tc.add(_failure_el("Failed", test_text(t)))
            if t.skipped:
                skipped += 1
                reason = tc.add(_El("reason"))
                reason.add(_El("message", text=test_text(t)))
            cases.add(tc)
        if cases.children:
            el.add(cases)
        kids.append(el)
    user = getpass.getuser() if hasattr(os, "getuid") else ""
    domain, _, name = user.rpartition("\\")
    lang, ietf = _culture()
    root = _El("test-results", [
        ("name", "helm-unittest"), ("total", str(total)), ("errors", str(errors)),
        ("failures", str(failures)), ("inconclusive", "0"), ("not-run", "0"), ("ignored", "0"),
        ("skipped", str(skipped)), ("invalid", "0"), ("date", now.strftime("%Y-%m-%d")),
        ("time", now.strftime("%H:%M:%S"))])
    root.add(_El("environment", [
        ("nunit-version", "2.5.8.0"), ("clr-version", "unknown"), ("os-version", "unknown"),
        ("platform", _platform()), ("cwd", os.getcwd()), ("machine-name", socket.gethostname()),
        ("user", name), ("user-domain", domain)]))
    root.add(_El("culture-info", [("current-culture", lang), ("current-uiculture", ietf)]))
    for k in kids:
        root.add(k)
    return root.render() + "\n"


def _bool(b: bool) -> str:
    return "true" if b else "false"


def _failure_el(message: str, trace: str) -> _El:
    f = _El("failure")
    f.add(_El("message", text=message))
    f.add(_El("stack-trace", text=trace))
    return f


_XUNIT_METHOD = "Helm-Validation"


def _xunit_failure(kind: str, message: str, trace: str) -> _El:
    f = _El("failure", [("exception-type", kind)])
    f.add(_El("message", text=message, cdata=True))
    f.add(_El("stack-trace", text=trace, cdata=True))
    return f


def xunit(suites: list[SuiteResult], now: datetime.datetime | None = None) -> str:
    """xUnitReportXML: <assemblies>, one <assembly> (and <collection>) per suite."""
    now = now or datetime.datetime.now()
    root = _El("assemblies")
    for s in suites:
        counts = {"total": 0, "passed": 0, "failed": 0, "skipped": 0, "errors": 0}
        run = {"total": 0, "passed": 0, "failed": 0, "skipped": 0}
        asm = _El("assembly")
        asm.add(_El("environment", text=_platform()))
        coll: _El | None = None
        if s.exec_error is not None:
            counts["total"] += 1
            counts["errors"] += 1
            errs = asm.add(_El("errors"))
            e = errs.add(_El("error", [("type", "Error"), ("name", "Error")]))
            e.add(_xunit_failure(f"{_XUNIT_METHOD}-Error", "Error", s.exec_error))
        else:
            coll = asm.add(_El("collection"))
            for t in s.tests:
                counts["total"] += 1
                run["total"] += 1
                result = "Skip" if t.skipped else "Pass" if t.passed else "Fail"
                tc = coll.add(_El("test", [
                    ("name", t.name), ("type", _classname(s.name)), ("method", _XUNIT_METHOD),
                    ("time", _secs(t.duration)), ("result", result)]))
                if t.skipped:
                    counts["skipped"] += 1
                    run["skipped"] += 1
                    tc.add(_El("reason", text=test_text(t), cdata=True))
                elif not t.passed:
                    kind = _XUNIT_METHOD
                    if t.exec_error is not None:
                        counts["errors"] += 1
                        kind = f"{_XUNIT_METHOD}-Error"
                    else:
                        counts["failed"] += 1
                        run["failed"] += 1
                    tc.add(_xunit_failure(kind, "Failed", test_text(t)))
                else:
                    counts["passed"] += 1
                    run["passed"] += 1
            coll.attrs = [("name", s.name), ("time", _secs(s.duration()))] + [
                (k, str(v)) for k, v in run.items()]
        asm.attrs = [
            ("name", s.file_path), ("config-file", s.file_path), ("test-framework", "helm-unittest"),
            ("run-date", now.strftime("%Y-%m-%d")), ("run-time", now.strftime("%H:%M:%S")),
            ("time", _secs(s.duration()))] + [(k, str(v)) for k, v in counts.items()]
        root.add(asm)
    return root.render() + "\n"


def sonar(suites: list[SuiteResult]) -> str:
    """sonarReportXML: Sonar's generic test execution format, one <file> per suite."""
    root = _El("testExecutions", [("version", "1")])
    for s in suites:
        f = root.add(_El("file", [("path", s.file_path)]))
        for t in s.tests:
            tc = f.add(_El("testCase", [("name", t.name),
                                        ("duration", str(int(t.duration * 1000)))]))
            if not t.skipped and not t.passed and t.exec_error is not None:
                tc.add(_El("error", [("message", "Error")], t.exec_error, cdata=True))
            if t.skipped:
                tc.add(_El("skipped", [("message", "Skipped")], test_text(t), cdata=True))
            if not t.skipped and not t.passed and t.exec_error is None:
                tc.add(_El("failure", [("message", "Failed")], test_text(t), cdata=True))
    return root.render() + "\n"


FORMATS = {"junit": junit, "nunit": nunit, "xunit": xunit, "sonar": sonar}

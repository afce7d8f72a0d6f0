"""Every helm-unittest assertion type, passing and failing, with `not`, on the fixture chart."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from uthelp import chart_copy, run, write_suite

# (assertion, template, passes); deployment.yaml tests read its first document,
# "deployment.yaml!" reads both (the Deployment and the ConfigMap).
CASES = [
    ("equal: {path: metadata.name, value: RELEASE-NAME-demo}", "deployment.yaml", True),
    ("equal: {path: spec.replicas, value: 2}", "deployment.yaml", True),
    ("equal: {path: spec.replicas, value: 2.0}", "deployment.yaml", False),  # int vs float64
    ("equal: {path: spec.replicas, value: 3}", "deployment.yaml", False),
    ("equal: {path: spec.replicas, value: 3}\n  not: true", "deployment.yaml", True),
    ("notEqual: {path: spec.replicas, value: 3}", "deployment.yaml", True),
    ("notEqual: {path: spec.replicas, value: 2}", "deployment.yaml", False),
    ("equal: {path: data.password, value: s3cret, decodeBase64: true}", "secret.yaml", True),
    ("equal: {path: data.password, value: other, decodeBase64: true}", "secret.yaml", False),
    (('equal: {path: "spec.template.spec.containers[?(@.name == \\"app\\")].image", '
     'value: "nginx:stable"}'), "deployment.yaml", True),
    ('equal: {path: "metadata.labels[\\"app.kubernetes.io/name\\"]", value: demo}',
     "deployment.yaml", True),
    ("equal: {path: 'spec.template.spec.containers[*].name', value: app}", "deployment.yaml",
     False),
    ("equal: {path: kind, value: Deployment}", "deployment.yaml!", False),
    ("exists: {path: metadata.name}", "deployment.yaml!", True),  # the second container is "sidecar": every match must be equal
    ("equal: {path: no.such.path, value: x}", "deployment.yaml", False),
    ("equal: {path: no.such.path, value: x}\n  not: true", "deployment.yaml", True),
    ('equalRaw: {value: "Thanks for installing demo as RELEASE-NAME.\\n"}', "NOTES.txt", True),
    ('equalRaw: {value: "Thanks for installing demo as RELEASE-NAME."}', "NOTES.txt", False),
    ("equalRaw: {value: nope}", "NOTES.txt", False),
    ("notEqualRaw: {value: nope}", "NOTES.txt", True),
    ("matchRegex: {path: metadata.name, pattern: -demo$}", "deployment.yaml", True),
    ("matchRegex: {path: metadata.name, pattern: ^demo}", "deployment.yaml", False),
    ("notMatchRegex: {path: metadata.name, pattern: ^demo}", "deployment.yaml", True),
    ("notMatchRegex: {path: metadata.name, pattern: demo}", "deployment.yaml", False),
    ("matchRegex: {path: data.password, pattern: ^s3, decodeBase64: true}", "secret.yaml", True),
    ("matchRegex: {path: spec.replicas, pattern: '2'}", "deployment.yaml", False),  # not a string
    ("matchRegexRaw: {pattern: installing demo}", "NOTES.txt", True),
    ("matchRegexRaw: {pattern: ^Bye}", "NOTES.txt", False),
    ("notMatchRegexRaw: {pattern: ^Bye}", "NOTES.txt", True),
    ("contains: {path: 'spec.template.spec.containers[0].ports', content: {containerPort: 8080}}",
     "deployment.yaml", True),
    ("contains: {path: 'spec.template.spec.containers[0].ports', content: {containerPort: 1}}",
     "deployment.yaml", False),
    ("contains: {path: spec.template.spec.containers, content: {name: app}, any: true}",
     "deployment.yaml", True),
    ("contains: {path: spec.template.spec.containers, content: {name: app}}",
     "deployment.yaml", False),  # without any: the whole element must be equal
    (("contains: {path: 'spec.template.spec.containers[0].ports', content: {containerPort: 8080},"
     " count: 1}"), "deployment.yaml", True),
    (("contains: {path: 'spec.template.spec.containers[0].ports', content: {containerPort: 8080},"
     " count: 2}"), "deployment.yaml", False),
    ("notContains: {path: 'spec.template.spec.containers[0].ports', content: {containerPort: 1}}",
     "deployment.yaml", True),
    ("notContains: {path: 'spec.template.spec.containers[0].ports', content: {containerPort: 9090}}",
     "deployment.yaml", False),
    ("exists: {path: spec.template}", "deployment.yaml", True),
    ("exists: {path: spec.nodeSelector}", "deployment.yaml", False),
    ("notExists: {path: spec.nodeSelector}", "deployment.yaml", True),
    ("notExists: {path: spec.replicas}", "deployment.yaml", False),
    ("isNull: {path: spec.nodeSelector}", "deployment.yaml", True),
    ("isNotNull: {path: spec.replicas}", "deployment.yaml", True),
    ("isNotNull: {path: spec.nodeSelector}", "deployment.yaml", False),
    ("isEmpty: {path: metadata.labels.absent}", "deployment.yaml", False),  # unknown path
    ("isNullOrEmpty: {path: metadata.annotations}\n  not: true", "deployment.yaml", True),
    ("isEmpty: {path: spec.replicas}", "deployment.yaml", False),
    ("isNotEmpty: {path: spec.replicas}", "deployment.yaml", True),
    ("isNullOrEmpty: {path: spec.template.spec.containers}", "deployment.yaml", False),
    ("isNotNullOrEmpty: {path: spec.template.spec.containers}", "deployment.yaml", True),
    ("isKind: {of: Deployment}", "deployment.yaml!", False),  # the ConfigMap too
    ("isKind: {of: Deployment}", "deployment.yaml", True),
    ("isKind: {of: Service}", "service.yaml", True),
    ("isKind: {of: Service}\n  not: true", "service.yaml", False),
    ("isAPIVersion: {of: v1}", "service.yaml", True),
    ("isAPIVersion: {of: apps/v1}", "service.yaml", False),
    ("hasDocuments: {count: 2}", "deployment.yaml", True),
    ("hasDocuments: {count: 1}", "deployment.yaml", False),
    ("hasDocuments: {count: 1, filterAware: true}", "deployment.yaml", True),
    ("hasDocuments: {count: 1}\n  not: true", "deployment.yaml", True),
    ("lengthEqual: {path: spec.template.spec.containers, count: 2}", "deployment.yaml", True),
    ("lengthEqual: {path: spec.template.spec.containers, count: 3}", "deployment.yaml", False),
    ("notLengthEqual: {path: spec.template.spec.containers, count: 3}", "deployment.yaml", True),
    (("lengthEqual: {paths: [spec.template.spec.containers, "
     "'spec.template.spec.containers[0].ports']}"), "deployment.yaml", True),
    ("isSubset: {path: metadata, content: {name: RELEASE-NAME-demo}}", "service.yaml", True),
    ("isSubset: {path: metadata, content: {name: other}}", "service.yaml", False),
    ("isNotSubset: {path: metadata, content: {name: other}}", "service.yaml", True),
    ("isType: {path: spec.ports, type: '[]interface {}'}", "service.yaml", True),
    ("isType: {path: 'spec.ports[0].port', type: int}", "service.yaml", True),
    ("isType: {path: 'spec.ports[0].port', type: string}", "service.yaml", False),
    ("isNotType: {path: 'spec.ports[0].port', type: string}", "service.yaml", True),
    ("greaterOrEqual: {path: 'spec.ports[0].port', value: 80}", "service.yaml", True),
    ("greaterOrEqual: {path: 'spec.ports[0].port', value: 81}", "service.yaml", False),
    ("lessOrEqual: {path: 'spec.ports[0].port', value: 80}", "service.yaml", True),
    ("lessOrEqual: {path: 'spec.ports[0].port', value: 79}", "service.yaml", False),
    ("notLessOrEqual: {path: 'spec.ports[0].port', value: 79}", "service.yaml", True),
    # operator_validator.go's precedence makes notGreaterOrEqual pass whatever the value
    ("notGreaterOrEqual: {path: 'spec.ports[0].port', value: 1}", "service.yaml", True),
    ("greaterOrEqual: {path: 'spec.ports[0].port', value: '80'}", "service.yaml", False),
    ("containsDocument: {kind: Service, apiVersion: v1, name: RELEASE-NAME-demo}",
     "service.yaml", True),
    ("containsDocument: {kind: Service, apiVersion: v1, name: other}", "service.yaml", False),
    ("containsDocument: {kind: ConfigMap, apiVersion: v1, any: true}", "deployment.yaml!", True),
    ("containsDocument: {kind: ConfigMap, apiVersion: v1}", "deployment.yaml!", False),
    ("containsDocument: {kind: Secret, apiVersion: v1}\n  not: true", "service.yaml", True),
    ("notFailedTemplate: {}", "deployment.yaml", True),
    ("failedTemplate: {}", "deployment.yaml", False),
]


def _suite(assertion: str, template: str) -> str:
    body = textwrap.indent(assertion, "      ")
    index = "    documentIndex: 0\n" if template == "deployment.yaml" else ""
    return (f"suite: cases\ntemplates:\n  - {template.rstrip('!')}\ntests:\n  - it: case\n"
            f"{index}    asserts:\n      - {body.lstrip()}\n")


@pytest.mark.parametrize(("assertion", "template", "passes"), CASES,
                         ids=[f"{i}-{c[0].split(':')[0]}" for i, c in enumerate(CASES)])
def test_assertion_verdict(tmp_path: Path, assertion: str, template: str, passes: bool) -> None:
    chart = chart_copy(tmp_path)
    write_suite(chart, _suite(assertion, template))
    ok, out, _ = run(chart)
    assert ok is passes, out


def test_every_assertion_type_is_covered() -> None:
    from minihelm.unittest.assertions import ASSERT_TYPES

    used = {c[0].split(":")[0] for c in CASES} | {"matchSnapshot", "matchSnapshotRaw"}
    assert set(ASSERT_TYPES) <= used | {"failedTemplate"}


FAIL_EQUAL = """\
 FAIL  cases\tdemo/tests/demo_test.yaml
\t- case

\t\t- asserts[0] `equal` fail
\t\t\tTemplate:\tdemo/templates/service.yaml
\t\t\tDocumentIndex:\t0
\t\t\tValuesIndex:\t0
\t\t\tPath:\tspec.ports[0].port
\t\t\tExpected to equal:
\t\t\t\t81
\t\t\tActual:
\t\t\t\t80
\t\t\tDiff:
\t\t\t\t--- Expected
\t\t\t\t+++ Actual
\t\t\t\t@@ -1,2 +1,2 @@
\t\t\t\t-81
\t\t\t\t+80

"""


def test_failure_details_are_helm_unittests(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chart = chart_copy(tmp_path)
    write_suite(chart, _suite("equal: {path: 'spec.ports[0].port', value: 81}", "service.yaml"))
    monkeypatch.chdir(tmp_path)
    ok, out, _ = run(Path("demo"))
    assert not ok
    assert FAIL_EQUAL in out
    assert out.endswith("Charts:      1 failed, 0 passed, 1 total\n"
                        "Test Suites: 1 failed, 0 passed, 1 total\n"
                        "Tests:       1 failed, 0 passed, 1 total\n"
                        "Snapshot:    0 passed, 0 total\n"
                        f"Time:        {out.split('Time:        ')[1].split(chr(10))[0]}\n\n")


def test_not_is_annotated_in_the_title(tmp_path: Path) -> None:
    chart = chart_copy(tmp_path)
    write_suite(chart, _suite("equal: {path: 'spec.ports[0].port', value: 80}\n  not: true",
                              "service.yaml"))
    ok, out, _ = run(chart)
    assert not ok
    assert "\t\t- asserts[0] NOT `equal` fail\n" in out
    assert "\t\t\tExpected NOT to equal:\n\t\t\t\t80\n" in out


def test_failed_template_reads_the_error(tmp_path: Path) -> None:
    chart = chart_copy(tmp_path)
    write_suite(chart, """\
        suite: failing
        templates: [deployment.yaml]
        set:
          failWith: boom here
        tests:
          - it: fails with the message
            asserts:
              - failedTemplate: {errorMessage: boom here}
              - failedTemplate: {errorPattern: "^boom"}
              - failedTemplate: {}
          - it: wrong message
            asserts:
              - failedTemplate: {errorMessage: other}
          - it: an unexpected failure is an error
            asserts:
              - isKind: {of: Deployment}
        """)
    ok, out, r = run(chart)
    assert not ok
    assert r.tests.passed == 1 and r.tests.failed == 2 and r.tests.errored == 1
    assert "\t\t\tExpected to equal:\n\t\t\t\tother\n\t\t\tActual:\n\t\t\t\tboom here\n" in out
    assert ("\t- an unexpected failure is an error\n\t\tError: execution error at "
            "(demo/templates/deployment.yaml:1:4): boom here\n") in out


def test_document_index_and_selector(tmp_path: Path) -> None:
    chart = chart_copy(tmp_path)
    write_suite(chart, """\
        suite: selection
        templates: [deployment.yaml]
        tests:
          - it: index
            documentIndex: 1
            asserts:
              - isKind: {of: ConfigMap}
          - it: per-assertion index
            asserts:
              - isKind: {of: Deployment}
                documentIndex: 0
              - isKind: {of: ConfigMap}
                documentIndex: 1
          - it: selector
            documentSelector: {path: kind, value: ConfigMap}
            asserts:
              - equal: {path: data.revision, value: "0"}
          - it: out of range
            documentIndex: 5
            asserts:
              - isKind: {of: ConfigMap}
          - it: selector matching two documents
            documentSelector: {path: apiVersion}
            asserts:
              - exists: {path: kind}
          - it: selector matchMany
            documentSelector: {path: metadata.name, matchMany: true}
            asserts:
              - exists: {path: kind}
        """)
    _ok, out, r = run(chart)
    assert r.tests.passed == 4 and r.tests.failed == 2, out
    assert "\t\t\tError:\n\t\t\tdocument index 5 is out of range\n" in out
    assert "\t\t\tError:\n\t\t\tmultiple indexes found\n" in out


def test_release_capabilities_and_chart_fields(tmp_path: Path) -> None:
    chart = chart_copy(tmp_path)
    write_suite(chart, """\
        suite: settings
        templates: [deployment.yaml]
        release: {name: rel, namespace: ns, revision: 3, upgrade: true}
        capabilities: {majorVersion: 1, minorVersion: 29, apiVersions: [batch/v1]}
        chart: {version: 9.9.9, appVersion: "7.0"}
        documentIndex: 1
        tests:
          - it: suite settings reach the render
            documentIndex: 1
            asserts:
              - equal: {path: metadata.name, value: rel-demo-config}
              - equal: {path: data.revision, value: "3"}
              - equal: {path: data.upgrade, value: "true"}
              - equal: {path: data.kube, value: v1.29.0}
              - equal: {path: data.hasBatch, value: "true"}
              - equal: {path: data.appVersion, value: "7.0"}
          - it: test settings win
            documentIndex: 0
            release: {name: other, namespace: elsewhere}
            chart: {version: 0.0.1}
            asserts:
              - equal: {path: metadata.name, value: other-demo}
              - equal: {path: metadata.namespace, value: elsewhere}
              - equal: {path: metadata.labels.chart, value: demo-0.0.1}
          - it: defaults without settings have no API versions
            capabilities: {apiVersions: null}
            documentIndex: 1
            asserts:
              - equal: {path: data.hasBatch, value: "false"}
        """)
    ok, out, r = run(chart)
    assert ok, out
    assert r.tests.passed == 3


def test_values_set_and_skip(tmp_path: Path) -> None:
    chart = chart_copy(tmp_path)
    (chart / "tests" / "values").mkdir(parents=True)
    (chart / "tests" / "values" / "more.yaml").write_text("replicas: 5\nimage: {tag: v1}\n")
    write_suite(chart, """\
        suite: values
        templates: [deployment.yaml]
        documentIndex: 0
        set:
          image.repository: example/app
        tests:
          - it: values files, then suite set, then test set
            values: [values/more.yaml]
            set:
              labels:
                team: a
              "image.tag": v2
            documentIndex: 0
            asserts:
              - equal: {path: spec.replicas, value: 5}
              - equal: {path: "spec.template.spec.containers[0].image", value: example/app:v2}
              - equal: {path: metadata.labels.team, value: a}
          - it: skipped
            skip: {reason: not today}
            asserts:
              - equal: {path: spec.replicas, value: 99}
        """)
    ok, out, r = run(chart)
    assert ok, out
    assert (r.tests.passed, r.tests.skipped) == (1, 1)
    assert "\t- SKIPPED 'skipped'\n" in out
    assert "Tests:       1 passed, 1 skipped, 2 total\n" in out


def test_kubernetes_provider_feeds_lookup(tmp_path: Path) -> None:
    chart = chart_copy(tmp_path)
    write_suite(chart, """\
        suite: lookup
        templates: [lookup.yaml]
        tests:
          - it: empty cluster
            asserts:
              - equal: {path: data.found, value: none}
          - it: fake object
            kubernetesProvider:
              scheme:
                v1/ConfigMap:
                  gvr: {version: v1, resource: configmaps}
                  namespaced: true
              objects:
                - {apiVersion: v1, kind: ConfigMap, metadata: {name: present, namespace: default}}
            asserts:
              - equal: {path: data.found, value: present}
          - it: without a scheme entry the fake client finds nothing
            kubernetesProvider:
              objects:
                - {apiVersion: v1, kind: ConfigMap, metadata: {name: present, namespace: default}}
            asserts:
              - equal: {path: data.found, value: none}
          - it: another namespace
            kubernetesProvider:
              scheme:
                v1/ConfigMap:
                  gvr: {version: v1, resource: configmaps}
                  namespaced: true
              objects:
                - {apiVersion: v1, kind: ConfigMap, metadata: {name: present, namespace: other}}
            asserts:
              - equal: {path: data.found, value: none}
        """)
    ok, out, r = run(chart)
    assert ok, out
    assert r.tests.passed == 4


def test_templates_default_to_every_rendered_file(tmp_path: Path) -> None:
    # No `templates:` means every file, NOTES.txt included: isKind fails on the others.
    chart = chart_copy(tmp_path)
    write_suite(chart, """\
        suite: all files
        tests:
          - it: kinds
            asserts:
              - isKind: {of: Service}
        """)
    ok, out, _ = run(chart)
    assert not ok
    assert "\t\t\tTemplate:\tdemo/templates/NOTES.txt\n" in out
    assert "\t\t\tTemplate:\tdemo/templates/service.yaml\n" not in out


def test_missing_template_is_reported(tmp_path: Path) -> None:
    chart = chart_copy(tmp_path)
    write_suite(chart, _suite("isKind: {of: Service}\n  template: nope.yaml", "service.yaml"))
    ok, out, _ = run(chart)
    assert not ok
    assert '\t\t\tError:\n\t\t\t\ttemplate "demo/templates/nope.yaml" not exists or not selected ' \
           "in test suite\n" in out

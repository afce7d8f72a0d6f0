"""helm-unittest suites (tests/*_test.yaml) -> in-process renders -> assertions -> console and XML reports.

One module per step: `yamlv3` reads and writes YAML the way helm-unittest's
go-yaml v3 does, `path` is its JSONPath dialect, `suite` loads suite files,
`assertions` holds every assertion type, `snapshot` the .snap cache,
`jobrender` renders one test's chart, `runner` runs charts and suites, and
`report` prints the console output and writes JUnit/NUnit/XUnit/Sonar files.
"""

from __future__ import annotations

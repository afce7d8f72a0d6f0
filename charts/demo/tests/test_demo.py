"""The demo chart's own tests: what each environment must render.

An example of a chart test suite using minihelm's pytest plugin: the
`render_chart` fixture renders the chart exactly as `helm template` would and
returns its resources; `.get(kind, name)` finds one, and its parsed object
reads by attribute (read-only).  Run with `pytest charts/demo/tests`.
"""

import pytest

CHART = "charts/demo"


@pytest.mark.parametrize(("env", "replicas"), [(None, 1), ("staging", 2), ("production", 3)])
def test_replicas_per_environment(render_chart, env, replicas):
    deployment = render_chart(CHART, env=env).get("Deployment", "demo")
    assert deployment.spec.replicas == replicas


@pytest.mark.parametrize("env", ["staging", "production"])
def test_environment_is_labelled_and_passed_to_the_container(render_chart, env):
    deployment = render_chart(CHART, env=env).get("Deployment", "demo")
    assert deployment.metadata.labels.environment == env
    assert deployment.spec.template.metadata.labels == {"app": "demo", "environment": env}
    container = deployment.spec.template.spec.containers[0]
    assert container.env == [{"name": "environment", "value": env}]


def test_service_targets_the_container_port(render_chart):
    result = render_chart(CHART, values={"container": {"port": 9000}})
    service = result.get("Service", "demo-service")
    deployment = result.get("Deployment", "demo")
    assert service.spec.ports[0].targetPort == 9000
    assert deployment.spec.template.spec.containers[0].ports[0].containerPort == 9000
    assert service.spec.selector == deployment.spec.selector.matchLabels


def test_image_is_repository_and_tag(render_chart):
    result = render_chart(CHART, set_values=["container.tag=v2"])
    image = result.get("Deployment", "demo").spec.template.spec.containers[0].image
    assert image == "cloudnatived/demo:v2"


def test_only_a_service_and_a_deployment(render_chart):
    assert [r.ref for r in render_chart(CHART, env="production")] == [
        "Service/demo-service", "Deployment/demo"]


def test_notes_name_the_environment(render_chart):
    assert "running in production" in render_chart(CHART, env="production").notes

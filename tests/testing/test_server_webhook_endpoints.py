"""Webhook endpoint management on the local server, and its test deliveries of every event type,
unwrapped by the client into the typed event models (the 15 types new in 3.60 included)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from test_server_webhooks import Receiver, receiver  # noqa: F401  # pyright: ignore[reportUnusedImport]

from pyopenai import AsyncOpenAI, BadRequestError, NotFoundError, OpenAI
from pyopenai.testing import LocalServer
from pyopenai.types.webhooks import (
    AgentEnvironmentExpiredWebhookEvent,
    AgentEnvironmentFailedWebhookEvent,
    AgentEnvironmentReadyWebhookEvent,
    AgentEnvironmentSuspendedWebhookEvent,
    AgentSessionActionRequiredWebhookEvent,
    AgentSessionCreatedWebhookEvent,
    AgentSessionFailedWebhookEvent,
    AgentSessionIdleWebhookEvent,
    AgentSessionInProgressWebhookEvent,
    LiveTransportConnectedWebhookEvent,
    LiveTransportIncomingWebhookEvent,
    SafetyAlertCreatedWebhookEvent,
    SafetyDeactivationIssuedWebhookEvent,
    SafetyOrgAlertCreatedWebhookEvent,
    SafetyWarningIssuedWebhookEvent,
)

NEW_IN_3_60 = {
    "agent.environment.expired": AgentEnvironmentExpiredWebhookEvent,
    "agent.environment.failed": AgentEnvironmentFailedWebhookEvent,
    "agent.environment.ready": AgentEnvironmentReadyWebhookEvent,
    "agent.environment.suspended": AgentEnvironmentSuspendedWebhookEvent,
    "agent.session.action_required": AgentSessionActionRequiredWebhookEvent,
    "agent.session.created": AgentSessionCreatedWebhookEvent,
    "agent.session.failed": AgentSessionFailedWebhookEvent,
    "agent.session.idle": AgentSessionIdleWebhookEvent,
    "agent.session.in_progress": AgentSessionInProgressWebhookEvent,
    "live.transport.connected": LiveTransportConnectedWebhookEvent,
    "live.transport.incoming": LiveTransportIncomingWebhookEvent,
    "safety.alert.created": SafetyAlertCreatedWebhookEvent,
    "safety.deactivation_issued": SafetyDeactivationIssuedWebhookEvent,
    "safety.org_alert.created": SafetyOrgAlertCreatedWebhookEvent,
    "safety.warning_issued": SafetyWarningIssuedWebhookEvent,
}


@pytest.fixture
def client(openai_server: LocalServer) -> Iterator[OpenAI]:
    with OpenAI(base_url=openai_server.url, api_key="sk-test", max_retries=0) as c:
        yield c


def test_every_event_type_is_listed(client: OpenAI) -> None:
    listed = client.webhooks.event_types.list().data
    assert set(NEW_IN_3_60) <= set(listed)
    assert "batch.completed" in listed and len(listed) == len(set(listed))


@pytest.mark.parametrize("event_type", sorted(NEW_IN_3_60))
def test_a_test_delivery_unwraps_into_its_model(client: OpenAI, receiver: Receiver, event_type: str) -> None:  # noqa: F811
    endpoint = client.webhooks.create(name="hooks", url=receiver.url, event_types=["batch.completed"])
    assert endpoint.signing_secret is not None and endpoint.signing_secret.startswith("whsec_")

    result = client.webhooks.test(endpoint.id, event_type=event_type)  # pyright: ignore[reportArgumentType]

    assert (result.event_type, result.status_code, result.webhook_endpoint_id) == (event_type, 200, endpoint.id)
    delivered = receiver.get()
    event = client.webhooks.unwrap(delivered.body, delivered.headers, secret=endpoint.signing_secret)
    assert type(event) is NEW_IN_3_60[event_type]
    assert event.type == event_type and event.id.startswith("evt_")


def test_the_signature_follows_the_secret_rotation(client: OpenAI, receiver: Receiver) -> None:  # noqa: F811
    from pyopenai import InvalidWebhookSignatureError

    endpoint = client.webhooks.create(name="hooks", url=receiver.url, event_types=["agent.session.idle"])
    rotated = client.webhooks.rotate_secret(endpoint.id)
    assert rotated.signing_secret != endpoint.signing_secret
    client.webhooks.test(endpoint.id, event_type="agent.session.idle")
    delivered = receiver.get()
    with pytest.raises(InvalidWebhookSignatureError):
        client.webhooks.unwrap(delivered.body, delivered.headers, secret=endpoint.signing_secret)
    event = client.webhooks.unwrap(delivered.body, delivered.headers, secret=rotated.signing_secret)
    assert isinstance(event, AgentSessionIdleWebhookEvent) and event.data.environment_type == "openai_hosted"


def test_endpoints_are_managed_without_showing_the_secret(client: OpenAI) -> None:
    created = client.webhooks.create(name="a", url="https://example.com/a", event_types=["safety.alert.created"])
    fetched = client.webhooks.retrieve(created.id)
    assert "signing_secret" not in fetched.model_dump() and fetched.signing_secret_hint == created.signing_secret_hint
    updated = client.webhooks.update(created.id, name="b", event_types=["agent.environment.ready"])
    assert (updated.name, updated.event_types, updated.url) == (
        "b",
        ["agent.environment.ready"],
        "https://example.com/a",
    )
    assert [e.id for e in client.webhooks.list()] == [created.id]
    assert client.webhooks.delete(created.id).deleted is True
    with pytest.raises(NotFoundError):
        client.webhooks.retrieve(created.id)


def test_bad_input_is_refused(client: OpenAI) -> None:
    with pytest.raises(BadRequestError) as caught:
        client.webhooks.create(name="a", url="https://example.com", event_types=["no.such.event"])  # pyright: ignore[reportArgumentType]
    assert caught.value.param == "event_types"
    endpoint = client.webhooks.create(name="a", url="https://example.com", event_types=["batch.failed"])
    with pytest.raises(BadRequestError):
        client.webhooks.test(endpoint.id, event_type="no.such.event")  # pyright: ignore[reportArgumentType]
    with pytest.raises(BadRequestError):
        client.webhooks.create(name="a", url="ftp://example.com", event_types=["batch.failed"])


async def test_async_test_delivery(openai_server: LocalServer, receiver: Receiver) -> None:  # noqa: F811
    async with AsyncOpenAI(base_url=openai_server.url, api_key="sk-test", max_retries=0) as client:
        endpoint = await client.webhooks.create(name="a", url=receiver.url, event_types=["agent.environment.expired"])
        result = await client.webhooks.test(endpoint.id, event_type="agent.environment.expired")
        assert result.status_code == 200
        delivered = receiver.get()
        event = client.webhooks.unwrap(delivered.body, delivered.headers, secret=endpoint.signing_secret)
        assert isinstance(event, AgentEnvironmentExpiredWebhookEvent)
        assert json.loads(delivered.body)["data"] == {"id": event.data.id}

"""Sessions over a Responses WebSocket connection: lanes routed by `stream_id`, each lane's final
response, bounded buffers; and an accumulator that projects a response's progress from its events.

```python
from pyopenai.lib.responses_websocket import ResponsesWebSocketLimits, ResponsesWebSocketSession

limits = ResponsesWebSocketLimits(max_lanes=8, max_events_per_lane=128, max_events=512,
                                  max_bytes_per_lane=16 << 20, max_bytes=32 << 20)
with client.responses.connect() as connection, ResponsesWebSocketSession(connection, limits=limits) as session:
    lane = session.lane("conversation")
    lane.send({"type": "response.create", "model": "gpt-4o-mini", "input": "Say hello."})
    response = lane.get_final_response(timeout=60)
```
"""

from ._accumulator import ResponsesWebSocketAccumulator as ResponsesWebSocketAccumulator
from ._accumulator import ResponsesWebSocketOutput as ResponsesWebSocketOutput
from ._accumulator import ResponsesWebSocketSnapshot as ResponsesWebSocketSnapshot
from ._limits import ResponsesWebSocketBufferError as ResponsesWebSocketBufferError
from ._limits import ResponsesWebSocketError as ResponsesWebSocketError
from ._limits import ResponsesWebSocketLimits as ResponsesWebSocketLimits
from ._session import AsyncResponsesWebSocketLane as AsyncResponsesWebSocketLane
from ._session import AsyncResponsesWebSocketSession as AsyncResponsesWebSocketSession
from ._session import ResponsesWebSocketLane as ResponsesWebSocketLane
from ._session import ResponsesWebSocketSession as ResponsesWebSocketSession

__all__ = [
    "AsyncResponsesWebSocketLane",
    "AsyncResponsesWebSocketSession",
    "ResponsesWebSocketAccumulator",
    "ResponsesWebSocketBufferError",
    "ResponsesWebSocketError",
    "ResponsesWebSocketLane",
    "ResponsesWebSocketLimits",
    "ResponsesWebSocketOutput",
    "ResponsesWebSocketSession",
    "ResponsesWebSocketSnapshot",
]

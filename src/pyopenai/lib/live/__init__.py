"""Helpers for Live sessions (`client.live.connect()`): `TranscriptGrouper` and
`AsyncTranscriptGrouper` turn the transcript deltas of both speakers into display segments.

```python
from pyopenai.lib.live import TranscriptGrouper

with TranscriptGrouper() as transcript:
    transcript.on("segment.updated", lambda segment: print(segment.speaker, segment.text))
    for event in connection:
        transcript.push(event)
```
"""

from ._grouper import AsyncTranscriptGrouper as AsyncTranscriptGrouper
from ._grouper import TranscriptGrouper as TranscriptGrouper
from ._segments import TranscriptSegment as TranscriptSegment
from ._segments import TranscriptSegmentClosedEvent as TranscriptSegmentClosedEvent
from ._segments import TranscriptSegmentCloseReason as TranscriptSegmentCloseReason

__all__ = [
    "AsyncTranscriptGrouper",
    "TranscriptGrouper",
    "TranscriptSegment",
    "TranscriptSegmentCloseReason",
    "TranscriptSegmentClosedEvent",
]

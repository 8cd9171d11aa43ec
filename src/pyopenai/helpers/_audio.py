"""`LocalAudioPlayer` and `Microphone`: play the API's speech and record the user's voice on this machine.

The API's raw audio is PCM: 24 kHz, 16-bit, mono. Both classes need numpy and sounddevice (which
needs the PortAudio library of the system): `pip install 'pyopenai[voice_helpers]'`. They are
imported when a player or microphone is created, never by `import pyopenai`.

Audio devices call back on their own thread; the waiting side is an `asyncio.Event` set from there
through the event loop (`call_soon_threadsafe`), so `await player.play(...)` and
`await microphone.record()` do not block the loop.
"""

from __future__ import annotations

import asyncio
import io
import time
import wave
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any, Literal, overload

if TYPE_CHECKING:
    import numpy.typing as npt

    from .._types import FileTypes

__all__ = ["SAMPLE_RATE", "LocalAudioPlayer", "Microphone"]

SAMPLE_RATE = 24_000
_MISSING = "LocalAudioPlayer and Microphone need numpy and sounddevice: pip install 'pyopenai[voice_helpers]'"


def _extras() -> tuple[Any, Any]:
    try:
        import numpy
        import sounddevice  # pyright: ignore[reportMissingImports]
    except (ImportError, OSError) as err:  # sounddevice raises OSError when PortAudio is missing
        raise ImportError(f"{_MISSING} ({err})") from err
    return numpy, sounddevice


class LocalAudioPlayer:
    """Plays audio from the API (`audio.speech.create(..., response_format="pcm")`) on the default output device.

    `should_stop`, when given, is asked while playing: returning True stops at once.
    """

    def __init__(self, should_stop: Callable[[], bool] | None = None) -> None:
        self._np, self._sd = _extras()
        self.should_stop = should_stop
        self.channels = 1
        self.dtype = self._np.float32

    def _as_float(self, samples: Any) -> Any:
        np = self._np
        if samples.dtype == np.int16:
            return samples.astype(np.float32) / 32767.0
        if samples.dtype == np.float32:
            return samples
        raise ValueError(f"LocalAudioPlayer plays int16 or float32 samples, not {samples.dtype}")

    async def _samples(self, source: Any) -> Any:
        """Float samples from an array, a binary response, or a streamed binary response."""
        np = self._np
        if isinstance(source, np.ndarray):
            return self._as_float(source)
        if hasattr(source, "iter_bytes") and hasattr(source, "__aenter__"):
            chunks = [chunk async for chunk in source.iter_bytes()]  # an async streamed response
            data = b"".join(chunks)
        elif hasattr(source, "content"):
            data = source.content
        elif hasattr(source, "read"):
            data = source.read()
            if asyncio.iscoroutine(data):
                data = await data
        else:
            raise TypeError(f"LocalAudioPlayer cannot play a {type(source).__name__}")
        return self._as_float(np.frombuffer(data, dtype=np.int16))

    async def play(self, input: Any) -> None:
        """Play `input` to the end (or until `should_stop()`): an int16/float32 array or a PCM response."""
        samples = (await self._samples(input)).reshape(-1, self.channels)
        loop = asyncio.get_running_loop()
        done = asyncio.Event()
        position = 0

        def callback(outdata: Any, frames: int, time_info: Any, status: Any) -> None:
            nonlocal position
            remaining = len(samples) - position
            if remaining <= 0 or (self.should_stop is not None and self.should_stop()):
                outdata.fill(0)
                loop.call_soon_threadsafe(done.set)
                raise self._sd.CallbackStop
            count = min(frames, remaining)
            outdata[:count] = samples[position:position + count]
            outdata[count:] = 0
            position += count

        stream = self._sd.OutputStream(samplerate=SAMPLE_RATE, channels=self.channels, dtype=self.dtype,
                                       callback=callback)
        with stream:
            await done.wait()

    async def play_stream(self, buffer_stream: AsyncIterator[Any]) -> None:
        """Play arrays as they arrive from `buffer_stream` (a `None` ends it), e.g. realtime audio deltas."""
        buffers: asyncio.Queue[Any] = asyncio.Queue()

        async def produce() -> None:
            async for buffer in buffer_stream:
                if buffer is None:
                    break
                await buffers.put(self._as_float(buffer).reshape(-1, self.channels))
            await buffers.put(None)

        producer = asyncio.create_task(produce())
        try:
            while True:
                buffer = await buffers.get()
                if buffer is None or (self.should_stop is not None and self.should_stop()):
                    break
                await self.play(buffer)
        finally:
            producer.cancel()


class Microphone:
    """Records from the default input device until `should_record()` turns False or `timeout` seconds pass."""

    def __init__(
        self,
        channels: int = 1,
        dtype: Any = None,
        should_record: Callable[[], bool] | None = None,
        timeout: float | None = None,
    ) -> None:
        self._np, self._sd = _extras()
        self.channels = channels
        self.dtype = dtype if dtype is not None else self._np.int16
        self.should_record = should_record
        self.timeout = timeout

    def _wav(self, samples: Any) -> tuple[str, bytes, str]:
        np = self._np
        if samples.dtype == np.float32:
            samples = (np.clip(samples, -1.0, 1.0) * 32767).astype(np.int16)
        buffer = io.BytesIO()
        with wave.open(buffer, "wb") as out:
            out.setnchannels(self.channels)
            out.setsampwidth(samples.dtype.itemsize)
            out.setframerate(SAMPLE_RATE)
            out.writeframes(samples.tobytes())
        return ("audio.wav", buffer.getvalue(), "audio/wav")

    @overload
    async def record(self, return_ndarray: Literal[True]) -> npt.NDArray[Any]: ...
    @overload
    async def record(self, return_ndarray: Literal[False] | None = False) -> FileTypes: ...
    async def record(self, return_ndarray: bool | None = False) -> npt.NDArray[Any] | FileTypes:
        """The recording: a WAV file tuple for `audio.transcriptions.create(file=...)`, or the samples."""
        loop = asyncio.get_running_loop()
        stopped = asyncio.Event()
        frames: list[Any] = []
        started = time.monotonic()

        def callback(indata: Any, frame_count: int, time_info: Any, status: Any) -> None:
            frames.append(indata.copy())
            over = self.timeout is not None and time.monotonic() - started >= self.timeout
            if over or (self.should_record is not None and not self.should_record()):
                loop.call_soon_threadsafe(stopped.set)
                raise self._sd.CallbackStop

        stream = self._sd.InputStream(samplerate=SAMPLE_RATE, channels=self.channels, dtype=self.dtype,
                                      callback=callback)
        with stream:
            await stopped.wait()
        np = self._np
        samples = np.concatenate(frames, axis=0) if frames else np.array([], dtype=self.dtype)
        return samples if return_ndarray else self._wav(samples)

"""`pyopenai.helpers`: LocalAudioPlayer and Microphone over a stand-in `sounddevice` (no audio hardware
here); numpy is real. The stand-in runs the device callback on its own thread, as PortAudio does."""

from __future__ import annotations

import io
import subprocess
import sys
import threading
import types
import wave
from collections.abc import AsyncIterator
from typing import Any

import pytest

np = pytest.importorskip("numpy", reason="numpy (the voice_helpers extra) is not installed")


class _Stream:
    """A device stream: calls `callback` with blocks of `blocksize` frames on a thread until it stops."""

    blocksize = 480
    played: list[Any] = []
    recorded_source: Any = None

    def __init__(self, *, samplerate: int, channels: int, dtype: Any, callback: Any, output: bool) -> None:
        self.samplerate, self.channels, self.dtype, self.callback, self.output = samplerate, channels, dtype, callback, output
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        offset = 0
        while not self._stop.is_set():
            if self.output:
                block = np.zeros((self.blocksize, self.channels), dtype=self.dtype)
            else:
                source = _Stream.recorded_source
                block = source[offset:offset + self.blocksize].reshape(-1, self.channels)
                offset += self.blocksize
                if len(block) == 0:
                    block = np.zeros((self.blocksize, self.channels), dtype=self.dtype)
            try:
                self.callback(block, self.blocksize, None, None)
            except FakeSoundDevice.CallbackStop:
                if self.output:
                    _Stream.played.append(block.copy())
                return
            if self.output:
                _Stream.played.append(block.copy())

    def __enter__(self) -> _Stream:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)


class FakeSoundDevice(types.ModuleType):
    class CallbackStop(Exception):
        pass

    def OutputStream(self, **kw: Any) -> _Stream:
        return _Stream(output=True, **kw)

    def InputStream(self, **kw: Any) -> _Stream:
        return _Stream(output=False, **kw)


@pytest.fixture
def sounddevice(monkeypatch: pytest.MonkeyPatch) -> FakeSoundDevice:
    fake = FakeSoundDevice("sounddevice")
    monkeypatch.setitem(sys.modules, "sounddevice", fake)
    _Stream.played = []
    return fake


async def test_player_plays_pcm_from_a_response_to_the_end(sounddevice: FakeSoundDevice) -> None:
    from pyopenai.helpers import LocalAudioPlayer

    pcm = (np.arange(1200, dtype=np.int16) * 10).tobytes()  # 1,200 samples: 2.5 device blocks

    class BinaryResponse:
        content = pcm

    await LocalAudioPlayer().play(BinaryResponse())
    played = np.concatenate(_Stream.played)[:, 0]
    assert played.dtype == np.float32
    assert np.allclose(played[:1200], np.arange(1200) * 10 / 32767.0)
    assert not played[1200:].any()  # the last block is padded with silence


async def test_player_should_stop_cuts_playback(sounddevice: FakeSoundDevice) -> None:
    from pyopenai.helpers import LocalAudioPlayer

    blocks = 0

    def should_stop() -> bool:
        nonlocal blocks
        blocks += 1
        return blocks > 2

    await LocalAudioPlayer(should_stop=should_stop).play(np.ones(48_000, dtype=np.float32))
    assert len(_Stream.played) == 3  # two blocks of sound, then the stop


async def test_player_rejects_other_sample_types(sounddevice: FakeSoundDevice) -> None:
    from pyopenai.helpers import LocalAudioPlayer

    with pytest.raises(ValueError, match="int16 or float32"):
        await LocalAudioPlayer().play(np.ones(10, dtype=np.float64))


async def test_play_stream_plays_buffers_in_order(sounddevice: FakeSoundDevice) -> None:
    from pyopenai.helpers import LocalAudioPlayer

    async def buffers() -> AsyncIterator[Any]:
        yield np.full(480, 100, dtype=np.int16)
        yield np.full(480, 200, dtype=np.int16)
        yield None

    await LocalAudioPlayer().play_stream(buffers())
    levels = [round(float(block[0, 0]) * 32767) for block in _Stream.played if block.any()]
    assert levels == [100, 200]


async def test_microphone_records_a_wav_until_told_to_stop(sounddevice: FakeSoundDevice) -> None:
    from pyopenai.helpers import Microphone

    _Stream.recorded_source = np.arange(4800, dtype=np.int16)
    calls = 0

    def should_record() -> bool:
        nonlocal calls
        calls += 1
        return calls < 4

    # typed as FileTypes (what transcriptions.create(file=...) takes), as in the official SDK; it is this tuple
    recorded: Any = await Microphone(should_record=should_record).record()
    name, data, content_type = recorded
    assert (name, content_type) == ("audio.wav", "audio/wav")
    with wave.open(io.BytesIO(data)) as wav:
        assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (24_000, 1, 2)
        samples = np.frombuffer(wav.readframes(wav.getnframes()), dtype=np.int16)
    assert np.array_equal(samples, np.arange(4 * 480, dtype=np.int16))


async def test_microphone_returns_samples_when_asked(sounddevice: FakeSoundDevice) -> None:
    from pyopenai.helpers import Microphone

    _Stream.recorded_source = np.arange(960, dtype=np.int16)
    samples = await Microphone(timeout=0).record(return_ndarray=True)
    assert samples.dtype == np.int16 and samples.shape == (480, 1)


def test_missing_extra_names_the_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sounddevice", None)
    from pyopenai.helpers import LocalAudioPlayer, Microphone

    for cls in (LocalAudioPlayer, Microphone):
        with pytest.raises(ImportError, match=r"pip install 'pyopenai\[voice_helpers\]'"):
            cls()


def test_importing_helpers_loads_neither_numpy_nor_sounddevice() -> None:
    code = "import sys, pyopenai.helpers as h; h.LocalAudioPlayer; assert 'numpy' not in sys.modules and 'sounddevice' not in sys.modules; print('ok')"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "ok", result.stderr

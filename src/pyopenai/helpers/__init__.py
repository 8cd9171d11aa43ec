"""Voice helpers: `LocalAudioPlayer` plays the API's audio, `Microphone` records input for it.

They need numpy and sounddevice (`pip install 'pyopenai[voice_helpers]'`), imported when a player
or a microphone is created.
"""

from __future__ import annotations

from ._audio import LocalAudioPlayer, Microphone

__all__ = ["LocalAudioPlayer", "Microphone"]

"""`pyopenai.install_as_openai()`: code importing `openai` the ways libraries do gets pyopenai.

Each check runs in a fresh interpreter so the alias never leaks into other tests. A stand-in
`openai` package is put first on `PYTHONPATH`, as if the official SDK were installed: the alias
must win over it when installed first.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import pyopenai
from pyopenai.types._surface import OFFICIAL_SDK_VERSION


@pytest.fixture
def installed_official(tmp_path: Path) -> Path:
    """A directory holding a package named `openai` that says it is not pyopenai."""
    package = tmp_path / "openai"
    package.mkdir()
    (package / "__init__.py").write_text('__version__ = "0.0.0-installed"\nINSTALLED_PACKAGE = True\n')
    (package / "types").mkdir()
    (package / "types" / "__init__.py").write_text("INSTALLED_PACKAGE = True\n")
    return tmp_path


def run(code: str, path_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(path_dir), os.environ.get("PYTHONPATH", "")])}
    env.pop("OPENAI_API_KEY", None)
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], env=env, capture_output=True, text=True, timeout=120
    )


def check(code: str, path_dir: Path) -> str:
    result = run(code, path_dir)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_the_stand_in_is_what_plain_import_finds(installed_official: Path) -> None:
    # guards the other tests: without the alias, `import openai` would load the installed package
    out = check("import openai; print(openai.__version__, getattr(openai, 'INSTALLED_PACKAGE', False))",
                installed_official)
    assert out.split() == ["0.0.0-installed", "True"]


def test_import_openai_is_pyopenai_with_the_official_version(installed_official: Path) -> None:
    out = check(
        """
        import pyopenai
        pyopenai.install_as_openai()
        import openai
        assert not hasattr(openai, "INSTALLED_PACKAGE")
        assert openai.OpenAI is pyopenai.OpenAI
        assert openai.APIError is pyopenai.APIError
        print(openai.__version__, pyopenai.__version__)
        """,
        installed_official,
    )
    assert out.split() == [OFFICIAL_SDK_VERSION, pyopenai.__version__]
    assert OFFICIAL_SDK_VERSION != pyopenai.__version__


def test_from_imports_and_nested_type_modules_are_the_same_objects(installed_official: Path) -> None:
    check(
        """
        import pyopenai
        pyopenai.install_as_openai()
        from openai import OpenAI, AsyncOpenAI, NotFoundError
        from openai.types.chat import ChatCompletion
        from openai.types.responses.response_input_param import ResponseInputParam
        import openai.types.chat.chat_completion as chat_completion_module
        import pyopenai.types.chat.chat_completion as real_module
        from pyopenai.types.responses import response_input_param as real_input_param
        import openai.types.responses.response_input_param as aliased_input_param
        import sys

        assert OpenAI is pyopenai.OpenAI and AsyncOpenAI is pyopenai.AsyncOpenAI
        assert NotFoundError is pyopenai.NotFoundError
        assert chat_completion_module is real_module
        assert ChatCompletion is real_module.ChatCompletion
        assert aliased_input_param is real_input_param
        assert ResponseInputParam is real_input_param.ResponseInputParam
        assert sys.modules["openai.types.chat"] is sys.modules["pyopenai.types.chat"]
        assert not hasattr(sys.modules["openai.types"], "INSTALLED_PACKAGE")
        """,
        installed_official,
    )


def test_submodules_are_attributes_of_their_package_without_importing_them_first(installed_official: Path) -> None:
    # pydantic-ai reads `openai.types.responses.response_output_text.Annotation` after importing only
    # `openai.types.responses`: the official package imports its submodules eagerly, pyopenai lazily
    check(
        """
        import pyopenai
        pyopenai.install_as_openai()
        from openai.types import chat, responses

        annotation = responses.response_output_text.Annotation
        delta = chat.chat_completion_chunk.ChoiceDelta
        import pyopenai.types.responses.response_output_text as real
        import pyopenai.types.chat.chat_completion_chunk as real_chunk

        assert responses.response_output_text is real and annotation is real.Annotation
        assert delta is real_chunk.ChoiceDelta
        import openai
        assert openai.types.shared.reasoning.Reasoning is pyopenai.types.shared.Reasoning
        assert openai.pagination is pyopenai.pagination
        for missing in ("response_output_txt", "__wrapped__"):
            try:
                getattr(responses, missing)
            except AttributeError as exc:
                assert missing in str(exc)
            else:
                raise AssertionError(f"{missing} should not be an attribute")
        """,
        installed_official,
    )


def test_requests_are_logged_on_the_openai_logger_that_official_code_configures(installed_official: Path) -> None:
    check(
        """
        import asyncio, io, logging
        import pyopenai
        pyopenai.install_as_openai()
        import openai
        from pyopenai.testing import LocalServer

        buffer = io.StringIO()
        handler = logging.StreamHandler(buffer)
        logging.getLogger("openai").addHandler(handler)
        logging.getLogger("openai").setLevel(logging.DEBUG)
        with LocalServer() as server:
            openai.OpenAI(base_url=server.url, api_key="sk-secret-value").models.list()
            sync_log = buffer.getvalue()

            async def call():
                async with openai.AsyncOpenAI(base_url=server.url, api_key="sk-secret-value") as client:
                    await client.models.list()

            asyncio.run(call())
            async_log = buffer.getvalue()[len(sync_log):]
        for text in (sync_log, async_log):
            assert "GET" in text and "/models" in text, text
            assert "sk-secret-value" not in text
        """,
        installed_official,
    )


def test_isinstance_and_except_work_across_both_names(installed_official: Path) -> None:
    check(
        """
        import pyopenai
        pyopenai.install_as_openai()
        import httpx2
        import openai
        from openai.types.chat import ChatCompletion

        def answer(request):
            if request.url.path.endswith("/missing"):
                return httpx2.Response(404, json={"error": {"message": "no such thing"}})
            return httpx2.Response(200, json={
                "id": "c1", "object": "chat.completion", "created": 1, "model": "m",
                "choices": [{"index": 0, "finish_reason": "stop",
                             "message": {"role": "assistant", "content": "hi"}}],
            })

        client = openai.OpenAI(api_key="sk-test", base_url="http://127.0.0.1:9/v1",
                               http_client=httpx2.Client(transport=httpx2.MockTransport(answer)))
        made_by_pyopenai = client.chat.completions.create(model="m", messages=[{"role": "user", "content": "x"}])
        assert isinstance(made_by_pyopenai, ChatCompletion)
        assert isinstance(made_by_pyopenai, pyopenai.types.chat.ChatCompletion)
        assert made_by_pyopenai.choices[0].message.content == "hi"
        try:
            client.get("/missing", cast_to=object)
        except openai.NotFoundError as caught:  # the alias's class catches pyopenai's error
            assert isinstance(caught, pyopenai.APIStatusError)
        else:
            raise AssertionError("no error raised")
        """,
        installed_official,
    )


def test_module_level_settings_written_through_the_alias_reach_pyopenai(installed_official: Path) -> None:
    out = check(
        """
        import pyopenai
        pyopenai.install_as_openai()
        import openai
        openai.api_key = "sk-through-the-alias"
        print(pyopenai.api_key == "sk-through-the-alias", openai.api_key == pyopenai.api_key)
        """,
        installed_official,
    )
    assert out.split() == ["True", "True"]


def test_monkeypatching_the_alias_is_undone_without_a_trace(installed_official: Path) -> None:
    # pytest's monkeypatch records the value in `openai.__dict__` (none: names are pyopenai's) and
    # undoes with `delattr(openai, name)`; a library's test suite does this with openai attributes
    out = check(
        """
        import pyopenai
        pyopenai.install_as_openai()
        import openai
        import pytest

        default_client = pyopenai.DefaultHttpx2Client
        pyopenai.api_key = None
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(openai, "DefaultHttpx2Client", "patched", raising=False)  # a lazy export
            mp.setattr(openai, "api_key", "sk-patched")  # a plain module attribute set to None
            mp.setattr(openai, "not_an_attribute", 1, raising=False)
            assert openai.DefaultHttpx2Client == pyopenai.DefaultHttpx2Client == "patched"
            assert openai.api_key == pyopenai.api_key == "sk-patched"
        assert openai.DefaultHttpx2Client is pyopenai.DefaultHttpx2Client is default_client
        assert pyopenai.api_key is None and openai.api_key is None
        assert not hasattr(openai, "not_an_attribute") and not hasattr(pyopenai, "not_an_attribute")

        openai.organization = "org-1"
        del openai.organization  # deleting what was written through the alias restores pyopenai's value
        assert pyopenai.organization is None
        with pytest.raises(AttributeError):
            del openai.never_there
        print("ok")
        """,
        installed_official,
    )
    assert out.split() == ["ok"]


def test_version_modules_report_the_official_release(installed_official: Path) -> None:
    out = check(
        """
        import pyopenai
        pyopenai.install_as_openai()
        from openai import __version__
        from openai._version import __version__ as private_version
        from openai.version import VERSION
        print(__version__, private_version, VERSION, pyopenai.__version__)
        """,
        installed_official,
    )
    assert out.split() == [OFFICIAL_SDK_VERSION] * 3 + [pyopenai.__version__]


def test_a_module_pyopenai_lacks_is_a_clear_import_error(installed_official: Path) -> None:
    out = check(
        """
        import pyopenai
        pyopenai.install_as_openai()
        try:
            import openai.no_such_module
        except ModuleNotFoundError as exc:
            print(exc.name)
        """,
        installed_official,
    )
    assert out.strip() == "openai.no_such_module"


def test_installing_after_the_official_package_was_imported_is_refused(installed_official: Path) -> None:
    out = check(
        """
        import openai
        import pyopenai
        try:
            pyopenai.install_as_openai()
        except RuntimeError as exc:
            print("refused:", "before `openai` is imported" in str(exc))
        import openai as still
        print(getattr(still, "INSTALLED_PACKAGE", False))
        """,
        installed_official,
    )
    assert out.split() == ["refused:", "True", "True"]


def test_installing_twice_is_harmless_and_loads_nothing_eagerly(installed_official: Path) -> None:
    out = check(
        """
        import sys
        import pyopenai
        pyopenai.install_as_openai()
        pyopenai.install_as_openai()
        finders = [f for f in sys.meta_path if type(f).__name__ == "OpenAIAliasFinder"]
        print(len(finders), "pyopenai.types.chat" in sys.modules, "pydantic" in sys.modules)
        """,
        installed_official,
    )
    assert out.split() == ["1", "False", "False"]


def test_modules_imported_through_the_alias_keep_their_own_spec(installed_official: Path) -> None:
    # the import system writes the `openai.*` spec on the module it is handed; pyopenai's modules keep
    # theirs, so their own relative imports stay warning-free (suites run with warnings as errors)
    out = check(
        """
        import warnings
        warnings.simplefilter("error")
        import pyopenai
        pyopenai.install_as_openai()
        import openai._base_client, openai.types.chat
        from openai import pagination
        for module in (openai._base_client, openai.types.chat, pagination):
            assert module.__spec__.name == module.__name__, (module.__name__, module.__spec__.name)
        # a relative import run inside a pyopenai function after the alias loaded its module
        exec("from .pagination import SyncPage", vars(openai._base_client))
        print("ok")
        """,
        installed_official,
    )
    assert out == "ok\n"


def test_the_installed_package_record_says_openai_at_the_official_version(installed_official: Path) -> None:
    # OpenTelemetry's instrumentors look up the `openai` distribution before they patch it, error
    # trackers list installed distributions: both must find `openai`, at the version the module reports
    out = check(
        """
        import importlib.metadata as metadata
        import pyopenai
        pyopenai.install_as_openai()
        import openai
        record = metadata.distribution("openai")
        print(record.metadata["Name"], record.version, metadata.version("OpenAI"), openai.__version__)
        print(next(d.version for d in metadata.distributions() if d.metadata["Name"] == "openai"))
        print(sorted(set(metadata.packages_distributions()["openai"])))
        """,
        installed_official,
    )
    assert out.splitlines() == [f"openai {OFFICIAL_SDK_VERSION} {OFFICIAL_SDK_VERSION} {OFFICIAL_SDK_VERSION}",
                                OFFICIAL_SDK_VERSION, "['openai']"]


def test_the_alias_record_wins_over_an_installed_one_and_is_made_only_by_the_alias(installed_official: Path) -> None:
    info = installed_official / "openai-0.0.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: openai\nVersion: 0.0.0\n")
    code = """
        import importlib.metadata as metadata
        import pyopenai
        {install}
        print(metadata.version("openai"))
        """
    assert check(code.format(install=""), installed_official).strip() == "0.0.0"
    aliased = check(code.format(install="pyopenai.install_as_openai()"), installed_official)
    assert aliased.strip() == OFFICIAL_SDK_VERSION

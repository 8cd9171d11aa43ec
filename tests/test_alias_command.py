"""`python -m pyopenai.alias`: a program and the Python processes it starts see pyopenai as `openai`.

Each check runs real interpreters (the command replaces itself with the program). A stand-in
`openai` package sits on `PYTHONPATH`, as if the official SDK were installed: every process must
get pyopenai instead, the children too.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pyopenai.alias import BOOT_DIR, child_environment

# what a process prints about its `openai`: whether it is pyopenai's
REPORT = "import openai, pyopenai; print(openai.OpenAI is pyopenai.OpenAI, openai.__version__ != pyopenai.__version__)"


@pytest.fixture
def path_dir(tmp_path: Path) -> Path:
    """A directory holding a stand-in `openai` package and a user's own `sitecustomize`."""
    (tmp_path / "openai").mkdir()
    (tmp_path / "openai" / "__init__.py").write_text("OpenAI = 'the installed package'\n__version__ = '0.0.0'\n")
    (tmp_path / "sitecustomize.py").write_text("import os\nos.environ['USER_SITECUSTOMIZE_RAN'] = 'yes'\n")
    return tmp_path


def run_aliased(args: list[str], path_dir: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(path_dir)}
    return subprocess.run(
        [sys.executable, "-m", "pyopenai.alias", *args], env=env, cwd=cwd, capture_output=True, text=True,
        timeout=120,
    )


def test_the_stand_in_is_what_a_plain_interpreter_finds(path_dir: Path) -> None:
    # guards the other tests: without the command, `import openai` loads the installed package
    env = {**os.environ, "PYTHONPATH": str(path_dir)}
    out = subprocess.run([sys.executable, "-c", "import openai; print(openai.OpenAI)"], env=env,
                         capture_output=True, text=True, timeout=120, check=True).stdout
    assert out.strip() == "the installed package"


def test_a_program_and_the_processes_it_starts_get_pyopenai(path_dir: Path, tmp_path: Path) -> None:
    program = tmp_path / "program.py"
    program.write_text(textwrap.dedent(f"""
        import multiprocessing, os, subprocess, sys

        def report(queue):
            import openai, pyopenai
            queue.put(openai.OpenAI is pyopenai.OpenAI)

        if __name__ == "__main__":
            {REPORT}
            print(os.environ.get("USER_SITECUSTOMIZE_RAN"), sys.argv[1:])
            sys.stdout.flush()
            subprocess.run([sys.executable, "-c", {REPORT!r}], check=True)  # a child interpreter
            context = multiprocessing.get_context("spawn")  # a fresh interpreter, not a fork
            queue = context.Queue()
            worker = context.Process(target=report, args=(queue,))
            worker.start()
            print("spawned", queue.get(timeout=60))
            worker.join()
    """))
    result = run_aliased([str(program), "--flag", "value"], path_dir, tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.splitlines() == [
        "True True",  # the program: pyopenai, reporting the official version
        "yes ['--flag', 'value']",  # the user's own sitecustomize still ran; arguments passed through
        "True True",  # its child interpreter
        "spawned True",  # a multiprocessing worker
    ]


def test_modules_and_code_run_too_and_the_exit_status_is_the_programs(path_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "tool.py").write_text(f"{REPORT}\nraise SystemExit(7)\n")
    by_module = run_aliased(["-m", "tool"], path_dir, tmp_path)
    assert (by_module.returncode, by_module.stdout) == (7, "True True\n"), by_module.stderr[-3000:]
    by_code = run_aliased(["-c", REPORT], path_dir, tmp_path)
    assert (by_code.returncode, by_code.stdout) == (0, "True True\n"), by_code.stderr[-3000:]


def test_without_a_program_it_prints_the_usage_and_fails(path_dir: Path, tmp_path: Path) -> None:
    result = run_aliased([], path_dir, tmp_path)
    assert result.returncode == 2
    assert "usage: python -m pyopenai.alias" in result.stderr


def test_print_path_gives_the_directory_for_a_hand_made_environment(path_dir: Path, tmp_path: Path) -> None:
    result = run_aliased(["--print-path"], path_dir, tmp_path)
    assert (result.returncode, result.stdout.strip()) == (0, str(BOOT_DIR))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([result.stdout.strip(), str(path_dir)])}
    out = subprocess.run([sys.executable, "-c", REPORT], env=env, capture_output=True, text=True, timeout=120,
                         check=True).stdout
    assert out == "True True\n"


def test_the_hook_directory_is_put_first_once() -> None:
    env = child_environment({"PYTHONPATH": os.pathsep.join(["a", str(BOOT_DIR), "b"]), "OTHER": "kept"})
    assert env == {"PYTHONPATH": os.pathsep.join([str(BOOT_DIR), "a", "b"]), "OTHER": "kept"}
    assert child_environment({})["PYTHONPATH"] == str(BOOT_DIR)


def test_a_pytest_suite_that_turns_warnings_into_errors_runs_aliased(path_dir: Path, tmp_path: Path) -> None:
    # pytest warns when a package holding a plugin (pyopenai ships one) was imported before it
    # starts; under `filterwarnings = error`, common in libraries' suites, that warning stops the run
    suite = tmp_path / "suite"
    suite.mkdir()
    (suite / "pytest.ini").write_text("[pytest]\nfilterwarnings =\n    error\n")
    (suite / "test_uses_openai.py").write_text(
        "import openai, pyopenai\n\ndef test_openai_is_pyopenai():\n    assert openai.OpenAI is pyopenai.OpenAI\n"
    )
    result = run_aliased(["-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:asyncio", "test_uses_openai.py"], path_dir, suite)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    assert "1 passed" in result.stdout


def test_the_program_starts_without_pyopenai_loaded(path_dir: Path, tmp_path: Path) -> None:
    check = "import sys; print('pyopenai' in sys.modules); import openai; print(openai.__name__, 'pyopenai' in sys.modules)"
    result = run_aliased(["-c", check], path_dir, tmp_path)
    assert (result.returncode, result.stdout) == (0, "False\nopenai True\n"), result.stderr[-3000:]


def test_a_lookup_of_the_openai_record_before_any_import_finds_it(path_dir: Path, tmp_path: Path) -> None:
    # `opentelemetry-instrument` checks the `openai` distribution before anything imports `openai`;
    # a scan of every distribution (pytest looking for plugins) must not load pyopenai. The stand-in
    # package gets a record of its own, which the alias's must win over.
    info = path_dir / "openai-0.0.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: openai\nVersion: 0.0.0\n")
    check = (
        "import sys, importlib.metadata as m\n"
        "names = {d.metadata['Name'] for d in m.distributions()}\n"
        "print('pyopenai' in sys.modules)\n"
        "print(m.version('openai'), 'openai' in sys.modules)\n"
        "import openai, pyopenai\n"
        "print(openai.OpenAI is pyopenai.OpenAI, m.version('openai') == openai.__version__)\n"
    )
    result = run_aliased(["-c", check], path_dir, tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    from pyopenai.types._surface import OFFICIAL_SDK_VERSION

    assert result.stdout.splitlines() == ["False", f"{OFFICIAL_SDK_VERSION} False", "True True"]

"""Reading an uploaded file's text in a child process with limits.

pypdf runs every drawing operator of a page to find its text, so a 130 KB PDF of repeated
text operators keeps it busy for minutes and takes hundreds of MB. The child gets the file
on stdin, lowers its priority, caps its address space and processor time
(``resource.setrlimit``), and the parent kills it after a wall-clock timeout. Whatever
happens, the caller gets the text or a ``TextUnavailable`` whose message is the reason.

Before running a PDF's operators the child counts the text-showing ones on each page and
refuses a page with far more than any real document has: the flood above is turned away
in a second, and the limits remain for what the count does not catch.

Run as ``python -m sources.reading NAME MEMORY_MB CPU_SECONDS PAGE_OPERATORS`` it is that
child; it imports no Django.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from sources.text import UNREADABLE_PDF, TextUnavailable, extract_text

TOO_SLOW = "Reading it took longer than {seconds:g} s."
TOO_MUCH_CPU = "Reading it needed more than {seconds} s of processor time."
TOO_MUCH_MEMORY = "Reading it needed more than {mb} MB of memory."
READER_FAILED = "The reader stopped unexpectedly (exit status {code})."

# The child's exit statuses besides 0 (the text is on stdout).
_UNREADABLE, _OUT_OF_MEMORY = 2, 3
PROJECT_DIR = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Limits:
    memory_mb: int = 512
    cpu_seconds: int = 20
    wall_seconds: float = 30
    page_operators: int = 100_000  # 0: no count, only the limits above

    @classmethod
    def from_settings(cls) -> Limits:
        from django.conf import settings

        return cls(
            memory_mb=settings.TEXT_READ_MEMORY_MB,
            cpu_seconds=settings.TEXT_READ_CPU_SECONDS,
            wall_seconds=settings.TEXT_READ_TIMEOUT_SECONDS,
            page_operators=settings.TEXT_READ_MAX_PAGE_OPERATORS,
        )


def read_text(*, name: str, data: bytes, limits: Limits) -> str:
    """The text of an uploaded file, read in a child process held to ``limits``.

    Raises ``TextUnavailable`` with the reason: not text, no text layer, unreadable, too
    slow, too much processor time or memory."""
    command = [
        sys.executable,
        "-m",
        "sources.reading",
        name,
        str(limits.memory_mb),
        str(limits.cpu_seconds),
        str(limits.page_operators),
    ]
    try:
        done = subprocess.run(  # our own interpreter and module, no shell
            command,
            input=data,
            capture_output=True,
            timeout=limits.wall_seconds,
            cwd=PROJECT_DIR,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:  # subprocess.run has killed the child
        raise TextUnavailable(TOO_SLOW.format(seconds=limits.wall_seconds)) from exc
    if done.returncode == 0:
        return done.stdout.decode("utf-8")
    if done.returncode == _UNREADABLE:
        raise TextUnavailable(done.stderr.decode("utf-8", "replace").strip()[:280])
    if done.returncode == _OUT_OF_MEMORY:
        raise TextUnavailable(TOO_MUCH_MEMORY.format(mb=limits.memory_mb))
    if done.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        # The kernel sends SIGXCPU at the soft CPU limit and SIGKILL at the hard one.
        raise TextUnavailable(TOO_MUCH_CPU.format(seconds=limits.cpu_seconds))
    raise TextUnavailable(READER_FAILED.format(code=done.returncode))


def _limit_self(*, memory_mb: int, cpu_seconds: int) -> None:
    # The lowest priority: pages come first on a small machine. SCHED_IDLE runs the child
    # only on a core nothing else wants (Linux); the nice value covers other systems.
    os.nice(19)
    if hasattr(os, "SCHED_IDLE"):
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def main(argv: list[str]) -> int:
    name, memory_mb, cpu_seconds, page_operators = argv[0], *map(int, argv[1:4])
    data = sys.stdin.buffer.read()
    _limit_self(memory_mb=memory_mb, cpu_seconds=cpu_seconds)
    try:
        text = extract_text(name=name, data=data, max_page_operators=page_operators)
        payload = text.encode("utf-8")
    except MemoryError:
        return _OUT_OF_MEMORY
    except TextUnavailable as exc:
        sys.stderr.write(str(exc))
        return _UNREADABLE
    except Exception as exc:  # pypdf meets files its authors never imagined
        sys.stderr.write(UNREADABLE_PDF.format(error=exc))
        return _UNREADABLE
    sys.stdout.buffer.write(payload)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

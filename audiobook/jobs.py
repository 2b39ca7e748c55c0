"""The job folders runs keep (clips, encoded chapters, parses): listing them and freeing space.

A job folder is named `<book stem>-<12 hex digits of the book's hash>` (render.job.book_id);
only folders named so are listed or removed, so a work_dir pointed at the wrong place loses
nothing else.
"""

from __future__ import annotations

import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from audiobook.errors import UserError

JOB_NAME = re.compile(r".+-[0-9a-f]{12}")
UNITS = {"m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


@dataclass
class JobFolder:
    path: Path
    size: int  # bytes
    clips: int
    last_used: float  # newest modification time inside, epoch seconds

    def age(self, now: float | None = None) -> float:
        return (now or time.time()) - self.last_used


def find_jobs(work_dir: Path) -> list[JobFolder]:
    """Job folders under `work_dir`, least recently used first."""
    if not work_dir.is_dir():
        return []
    found = []
    for folder in work_dir.iterdir():
        if not folder.is_dir() or not JOB_NAME.fullmatch(folder.name):
            continue
        size = clips = 0
        last = folder.stat().st_mtime
        for path in folder.rglob("*"):
            try:
                info = path.lstat()
            except OSError:
                continue  # removed while we looked
            last = max(last, info.st_mtime)
            if path.is_file():
                size += info.st_size
                clips += path.suffix == ".wav" and path.parent.parent.name == "clips"
        found.append(JobFolder(folder, size, clips, last))
    return sorted(found, key=lambda j: j.last_used)


def parse_age(text: str) -> float:
    """ "30d", "12h", "2w", "90m" -> seconds."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([mhdw])\s*", text.lower())
    if not m:
        raise UserError(f"--older-than takes an age such as 30d, 12h, 2w or 90m, got '{text}'")
    return float(m.group(1)) * UNITS[m.group(2)]


def remove_jobs(jobs: list[JobFolder]) -> int:
    """Delete the folders; returns the bytes freed."""
    freed = 0
    for job in jobs:
        try:
            shutil.rmtree(job.path)
        except OSError as e:
            raise UserError(f"cannot remove {job.path}: {e.strerror}") from None
        freed += job.size
    return freed


def human_size(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"


def human_age(seconds: float) -> str:
    if seconds < 3600:
        return f"{max(0, int(seconds // 60))} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.0f} h"
    return f"{seconds / 86400:.0f} days"

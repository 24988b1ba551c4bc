"""Owner-only folders and files: what goldenbell keeps is readable by its own user alone.

The Neo4j store and its transaction logs, reject files (whole source rows), uploads,
the audit log and the access database would let any other local user read around the
password, the roles and the masking. So the processes that write them run with umask
077, and every writer creates its folder 0700 and its file 0600 by giving the mode at
creation: a chmod afterwards would leave a moment in which another user could open it.

GOLDENBELL_HOME that already exists with group or other bits is tightened to 0700
(it is goldenbell's own folder); one that belongs to another user is refused.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path
from typing import IO, Any

OWNER_ONLY_UMASK = 0o077
FOLDER_MODE = 0o700
FILE_MODE = 0o600
_OTHERS = 0o077
_FLAGS = {
    "w": os.O_WRONLY | os.O_TRUNC,
    "a": os.O_WRONLY | os.O_APPEND,
    "x": os.O_WRONLY | os.O_EXCL,
}


class OwnerOnlyError(OSError):
    """A folder or file goldenbell keeps data in cannot be made owner-only."""


def owner_only_umask() -> int:
    """From now on, files this process and its children create are owner-only; returns the old umask."""
    return os.umask(OWNER_ONLY_UMASK)


def private_dir(path: Path) -> Path:
    """`path` as a folder, each missing part of it created 0700 whatever the umask.

    A folder that already exists is left as it is: a user may name a file in a shared
    folder such as /tmp, and the file itself is still created 0600.
    """
    path = Path(path)
    missing = []
    current = path
    while not current.exists() and current != current.parent:
        missing.append(current)
        current = current.parent
    for folder in reversed(missing):
        # Made by another process meanwhile: then it is that process's to have made.
        with contextlib.suppress(FileExistsError):
            os.mkdir(folder, FOLDER_MODE)
    return path


def tighten(path: Path) -> None:
    """Take group and other bits off an existing folder or file of this user's."""
    info = os.stat(path)
    if not info.st_mode & _OTHERS:
        return
    if info.st_uid != os.geteuid():
        raise OwnerOnlyError(
            f"{path} belongs to another user (uid {info.st_uid}) and others can read it; "
            "goldenbell keeps its data only in folders of the user it runs as: choose another folder"
        )
    os.chmod(path, stat.S_IMODE(info.st_mode) & ~_OTHERS)


def private_home(home: Path) -> Path:
    """GOLDENBELL_HOME, resolved: created 0700, or tightened to 0700 if others could enter it."""
    home = Path(home).resolve()
    private_dir(home)
    tighten(home)
    return home


def tighten_home(home: Path) -> None:
    """An existing GOLDENBELL_HOME that others could enter, tightened to 0700; a missing one is
    left to the first writer, which creates it 0700."""
    home = Path(home)
    if home.is_dir():
        tighten(home.resolve())


def tighten_tree(root: Path) -> None:
    """Tighten `root` and every folder and file under it (a store written under a looser umask)."""
    root = Path(root)
    if not root.is_dir():
        return
    tighten(root)
    for folder, folders, files in os.walk(root):
        for name in folders + files:
            path = os.path.join(folder, name)
            if os.path.islink(path):
                continue
            with contextlib.suppress(FileNotFoundError):  # a file the server removed meanwhile
                tighten(Path(path))


def create_private(path: Path, flags: int) -> int:
    """os.open(path, flags) creating the file 0600 (and its missing folders 0700); the descriptor.

    A file that already exists and others could read (left by an older version) is tightened.
    """
    path = Path(path)
    private_dir(path.parent)
    fd = os.open(path, flags | os.O_CREAT, FILE_MODE)
    try:
        info = os.fstat(fd)
        if info.st_mode & _OTHERS:
            tighten(path)
    except BaseException:
        os.close(fd)
        raise
    return fd


def open_private(path: Path, mode: str = "w", **kwargs: Any) -> IO[Any]:
    """Like open(path, mode) for writing ("w", "a", "x", with "b" for bytes), the file created 0600."""
    kind = mode.replace("b", "").replace("t", "")
    if kind not in _FLAGS:
        raise ValueError(f"open_private writes a file: mode is w, a or x (with b), not {mode!r}")
    return os.fdopen(create_private(path, _FLAGS[kind]), mode, **kwargs)

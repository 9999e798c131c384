"""The version of the content: one token that any save or delete of a catalogue or exhibit record
moves, so that whatever was read from the database and kept under it (the public pages, the
registers they show, the admin list's filters) is read again.

Each app names the models it watches (``watch``, from its ``AppConfig.ready``): the archive its
catalogue and registers, the exhibits app its exhibits.
"""

from __future__ import annotations

import logging
import os
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

VERSION_KEY = "exhibits:content-version"
UNWRITABLE = "The public content's version file %s cannot be written: cached pages stay until they expire."

logger = logging.getLogger(__name__)


def _version_file() -> Path | None:
    path = getattr(settings, "EXHIBITS_CONTENT_VERSION_FILE", None)
    return Path(path) if path else None


def content_version() -> str:
    """The version of the content, in every key of the page cache, the registers and the admin filters.

    With a shared cache (Redis) it is kept there. With each process's own memory cache it is kept
    in ``EXHIBITS_CONTENT_VERSION_FILE``, which every worker of the host reads (a few microseconds),
    so an edit in one worker moves the pages of all of them. Either way it never repeats: in the
    cache it starts from the clock (in microseconds), so a flushed cache does not give again a
    version whose pages or registers a process may still hold; in the file it is a new token each
    time.
    """
    path = _version_file()
    if path is not None:
        return _file_version(path)
    version = cache.get(VERSION_KEY)
    if version is None:
        start = time.time_ns() // 1000
        cache.add(VERSION_KEY, start, timeout=None)
        version = cache.get(VERSION_KEY, start)
    return str(version)


#: The version file as this process last read it: ((inode, modification time in ns, size), token).
_last_read: tuple[tuple, str] | None = None


def _file_version(path: Path) -> str:
    """The file's token, read again only when the file has changed: every write is a new file
    (a new inode) stamped with the clock in nanoseconds, so its (inode, time) is never that of
    an earlier one. A look at it costs about 3 µs, reading it 12."""
    global _last_read
    try:
        stat = os.stat(path)
        seen = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
        if _last_read is not None and _last_read[0] == seen:
            return _last_read[1]
        token = path.read_text()  # read after the look: at least as new as what was seen
    except FileNotFoundError:
        return _write_version(path, missing_ok=True)
    except OSError:
        _log_unwritable(path)
        return "0"
    if not token:
        return _write_version(path)
    _last_read = (seen, token)
    return token


def _write_version(path: Path, *, missing_ok: bool = False) -> str:
    """A new version in the file, written whole (another name, then renamed over it). If it cannot
    be written the edit still saves: the error is logged and the cached pages age out in
    ``PAGE_TIMEOUT``."""
    token = f"{time.time_ns():x}-{secrets.token_hex(4)}"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        written = path.with_name(f"{path.name}.{os.getpid()}-{secrets.token_hex(4)}")
        written.write_text(token)
        now = time.time_ns()
        os.utime(written, ns=(now, now))
        os.replace(written, path)
    except OSError:
        _log_unwritable(path)
        return "0" if missing_ok else token
    return token


_logged_unwritable: set[Path] = set()


def _log_unwritable(path: Path) -> None:
    """Once per process and path: every request would otherwise log it again."""
    if path not in _logged_unwritable:
        _logged_unwritable.add(path)
        logger.exception(UNWRITABLE, path)


def _bump() -> None:
    path = _version_file()
    if path is not None:
        _write_version(path)
        return
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        content_version()


def bump_content_version(**kwargs) -> None:
    """Signal receiver: something public may have changed. The version moves at once and again
    when the transaction commits: a page read in between, before the change was visible, would
    otherwise stay cached under the new version."""
    _bump()
    transaction.on_commit(_bump)


def watch(models=(), through_models=(), *, label: str) -> None:
    """Move the version on every save or delete of ``models`` and every change of the
    many-to-many links of ``through_models``."""
    for model in models:
        uid = f"content-version-{label}-{model.__name__}"
        post_save.connect(bump_content_version, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(bump_content_version, sender=model, dispatch_uid=f"{uid}-delete")
    for through in through_models:
        m2m_changed.connect(bump_content_version, sender=through, dispatch_uid=f"content-version-{label}-m2m-{through}")


#: What this process last read under each name: (key, when read, rows). Shared by the requests
#: that read them, which never change them.
_remembered: dict[object, tuple[str, float, object]] = {}


def remembered(name, key: str, read, *, timeout: float):
    """``read()``, kept in this process under ``name`` while ``key`` (which holds the content
    version) stays the same, for at most ``timeout`` seconds: the bound on what changes without
    a signal (an ``update()`` of many rows, a bulk load). No unpickling, no cache round trip."""
    last = _remembered.get(name)
    if last is not None and last[0] == key and time.monotonic() - last[1] < timeout:
        return last[2]
    rows = read()
    _remembered[name] = (key, time.monotonic(), rows)
    return rows

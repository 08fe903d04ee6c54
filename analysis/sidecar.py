"""A second process for the per-answer work that needs no fitted model, so a fit uses two cores.

The safeguarding check (of each answer as written) and the sentiment of each redacted answer (a
model shipped with the package, VADER's scores among its features) depend on nothing the fit
learns. They are mostly plain Python, a third of a fit's work at 10,000 answers, and they run here
while the fit's own process finds word vectors and themes. The results are those of the same
functions run in the fit's process (``analysis.safeguarding.mentions_safeguarding`` and
``analysis.sentiment.sentiment_probabilities``), so the themes, flags and scores are identical.

Robust by design:

* The helper is a fresh interpreter (``sys.executable`` run by ``subprocess``), not a fork of
  this process: nothing of it (threads, locks, BLAS pools, database connections, an RQ work
  horse's state) is copied, and nothing of ``__main__`` is imported again (unlike
  ``multiprocessing``'s spawn). It looks modules up on this process's ``sys.path``.
* It talks over its own stdin and stdout: texts go in as JSON (written by a thread, so the fit
  goes on meanwhile), results come back as a NumPy ``.npz`` read with ``allow_pickle=False``.
  Neither side unpickles anything. What it says on stderr goes to a temporary file, logged if
  it fails.
* Whatever goes wrong (no interpreter, no second core, a helper that fails, hangs or answers
  nonsense) the fit does the work itself, as it always did; a helper whose parent dies reads the
  end of its input and exits.
* Small inputs (under :data:`MIN_TEXTS`) never start one: starting an interpreter costs more
  than it saves.
"""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

#: Fewest texts for which a helper process is started.
MIN_TEXTS = 5000
#: Longest wait for the helper's results, in seconds, before the fit does the work itself.
TIMEOUT = 600

_ROOT = str(Path(__file__).resolve().parents[1])
_CODE = None  # the helper's program; tests put a failing one here
_log = logging.getLogger(__name__)


def cores() -> int:
    """Cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class Sidecar:
    """A helper process: :meth:`start` it early, :meth:`send` it the texts, :meth:`collect` the
    results (None if anything failed: then do the work in this process)."""

    def __init__(self, process: subprocess.Popen, stderr):
        self._process = process
        self._stderr = stderr
        self._writer: threading.Thread | None = None
        self._send_error: BaseException | None = None

    @classmethod
    def start(cls, n_texts: int, n_jobs=None) -> Sidecar | None:
        """A started helper, or None when one would not help (``n_jobs`` 1, few texts, one core)
        or cannot be started."""
        if n_jobs == 1 or n_texts < MIN_TEXTS or cores() < 2 or not sys.executable:
            return None
        # The helper finds modules where this process does: the same analysis, the same VADER.
        path = [_ROOT, *(p for p in sys.path if isinstance(p, str))]
        code = _CODE or (f"import sys; sys.path[:0] = {path!r}; "
                         "from analysis.sidecar import main; main()")
        stderr = None
        try:
            # A file, not a pipe, for what it says on stderr: a pipe nobody reads can fill up.
            stderr = tempfile.TemporaryFile()
            process = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, stderr=stderr, close_fds=True)
        except OSError as error:
            if stderr is not None:
                stderr.close()
            _log.info("no helper process (%s): the analysis runs in one process", error)
            return None
        return cls(process, stderr)

    def send(self, texts, answers) -> bool:
        """Give the helper the texts as written and the redacted answers; False if it failed.

        Written by a thread, so the fit goes on while the helper is still starting up."""
        # JSON keeps every string exactly (ensure_ascii escapes even a lone surrogate).
        try:
            payload = json.dumps([list(texts), list(answers)]).encode("ascii")
        except (TypeError, ValueError) as error:
            self._fail(f"could not send the texts: {error}")
            return False
        stdin, self._process.stdin = self._process.stdin, None  # communicate() must not flush it

        def write():
            try:
                with stdin:
                    stdin.write(payload)
            except (OSError, ValueError) as error:  # the helper died: collect() says why
                self._send_error = error

        self._writer = threading.Thread(target=write, name="analysis-sidecar-send", daemon=True)
        self._writer.start()
        return True

    def collect(self, n_texts: int, n_answers: int):
        """``{"safeguarding", "sentiment"}`` from the helper, or None if it failed (the reason is
        logged)."""
        import numpy as np

        try:
            out, _ = self._process.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self._fail("no answer in time")
            return None
        except (OSError, ValueError) as error:
            self._fail(str(error))
            return None
        if self._writer is not None:
            self._writer.join()
        if self._process.returncode or self._send_error is not None:
            self._stderr.seek(0)
            said = self._stderr.read()[-2000:].decode("utf-8", "replace")
            self._fail(f"exit status {self._process.returncode}, sending: {self._send_error}: "
                       f"{said}")
            return None
        try:
            with np.load(io.BytesIO(out), allow_pickle=False) as f:
                found = {name: f[name] for name in f.files}
            result = {"safeguarding": found["safeguarding"].astype(bool),
                      "sentiment": found["sentiment"].astype(np.float64, copy=False)}
        except (OSError, ValueError, KeyError, EOFError) as error:
            self._fail(f"unreadable answer: {error}")
            return None
        if result["safeguarding"].shape != (n_texts,) or \
                result["sentiment"].shape != (n_answers, 3):
            self._fail("answer of the wrong size")
            return None
        return result

    def close(self) -> None:
        """Stop the helper if it is still running (after a failure in the fit)."""
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        if self._writer is not None:
            self._writer.join()  # ends once the helper is gone: its pipe is broken
        for stream in (self._process.stdin, self._process.stdout, self._stderr):
            if stream is not None and not stream.closed:
                stream.close()

    def _fail(self, reason: str) -> None:
        _log.warning("helper process failed (%s): the analysis does its work itself", reason)
        self.close()


def safeguarding_flags(texts):
    """``mentions_safeguarding`` of each text (each distinct text checked once), as an array."""
    import numpy as np

    from .safeguarding import mentions_safeguarding

    seen: dict = {}
    return np.fromiter((seen[t] if t in seen else seen.setdefault(t, mentions_safeguarding(t))
                        for t in texts), bool, count=len(texts))


def work(texts, answers) -> dict:
    """What the helper computes, as arrays for :meth:`Sidecar.collect`."""
    from .sentiment import sentiment_probabilities

    return {"safeguarding": safeguarding_flags(texts),
            "sentiment": sentiment_probabilities(answers)}


def main() -> None:
    """The helper: texts in on stdin, results out on stdout."""
    stdout = sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing else may write to the channel the results go through
    # Load everything while the fit is still redacting, before the texts arrive: the
    # safeguarding screens, VADER and the sentiment model (none of them needs scikit-learn).
    import numpy as np
    import scipy.sparse  # noqa: F401 (the sentiment model's features)

    from .safeguarding import _screens
    from .sentiment import _vader, shipped_model

    _screens()
    _vader()
    shipped_model()
    texts, answers = json.loads(sys.stdin.buffer.read())
    buffer = io.BytesIO()
    np.savez(buffer, **work(texts, answers))
    stdout.write(buffer.getvalue())
    stdout.flush()

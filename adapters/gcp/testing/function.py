"""The GCP entry point served by functions-framework on loopback, as Cloud Run functions
serves it: the deployed ``main.py`` (:data:`~momentum.adapters.gcp.main.ROOT_MAIN_PY`)
written to a folder, loaded by ``functions_framework.create_app`` and served by werkzeug
on a free 127.0.0.1 port in a thread of this process (so a test can hand the function an
app built on the emulators with a fixed clock and a scripted model)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from momentum.adapters.gcp.main import ENTRY_POINT, ROOT_MAIN_PY
from momentum.adapters.gcp.testing.loopback import ServerThread


class LocalFunction:
    """``momentum`` behind functions-framework's Flask app on ``url``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._thread = ServerThread()

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``: the function's URL (the tasks' OIDC audience)."""
        assert self._thread.server is not None, "start() first"
        return f"http://127.0.0.1:{self._thread.server.server_port}"

    def start(self) -> str:
        """Write ``main.py``, load it with functions-framework and serve; returns
        :attr:`url`. :class:`RuntimeError` when functions-framework is missing."""
        try:
            import functions_framework
            from werkzeug.serving import WSGIRequestHandler, make_server
        except ImportError as error:
            raise RuntimeError(f"functions-framework is not installed: {error}") from None
        self.folder.mkdir(parents=True, exist_ok=True)
        source = self.folder / "main.py"
        source.write_text(ROOT_MAIN_PY, encoding="utf-8")
        app = functions_framework.create_app(
            target=ENTRY_POINT, source=str(source), signature_type="http"
        )

        class Quiet(WSGIRequestHandler):
            def log_request(self, *args: Any, **kwargs: Any) -> None:
                return  # a request line may carry a webhook's verify token

        self._thread.run(make_server("127.0.0.1", 0, app, threaded=True, request_handler=Quiet))
        return self.url

    def stop(self) -> None:
        """Stop serving."""
        self._thread.stop()

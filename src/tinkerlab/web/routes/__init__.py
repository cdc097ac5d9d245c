"""One module per page group, each with an ``APIRouter`` called ``router``.

The app includes them in the order of :data:`tinkerlab.web._app.PAGES`.
"""

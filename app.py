"""Målkonflikt's entry point: ``streamlit run app.py``.

Streamlit imports this file twice over: as the ASGI server definition (``app = st.App(...)``, which
adds our HTTP routes: the phone page and the JSON API), and as the page script that every browser session runs
(``__name__ == "__main__"``), which is only the router.
"""

import streamlit as st

if __name__ == "__main__":
    from conflicts.ui.router import main

    main()
else:
    # Import the heavy libraries once at server start: imported lazily by several first page
    # loads at once they raced ("partially initialized module 'pandas'"), seen under load.
    import numpy  # noqa: F401
    import pandas  # noqa: F401
    import plotly.graph_objects  # noqa: F401

    from conflicts.config import configure_logging
    from conflicts.store import check_database
    from conflicts.ui.server import enable_tcp_nodelay, middleware, routes

    configure_logging()
    check_database()  # a wrong URL, host, port or password is logged once, at start-up
    enable_tcp_nodelay()
    app = st.App("app.py", middleware=middleware(), routes=routes())

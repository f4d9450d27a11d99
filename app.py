"""Målkonflikt's entry point: ``streamlit run app.py``.

Streamlit imports this file twice over: as the ASGI server definition (``app = st.App(...)``, which
adds our HTTP middleware and routes), and as the page script that every browser session runs
(``__name__ == "__main__"``), which is only the router.
"""

import streamlit as st

if __name__ == "__main__":
    from conflicts.ui.router import main

    main()
else:
    from conflicts.ui.server import enable_tcp_nodelay, middleware, routes

    enable_tcp_nodelay()
    app = st.App("app.py", middleware=middleware(), routes=routes())

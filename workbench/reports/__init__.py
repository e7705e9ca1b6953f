"""Reports: the papermill runner (``run``), report state (``state``), topic and corpus
views (``topic``, ``corpus``), figures and safe HTML (``figures``, ``html``)."""

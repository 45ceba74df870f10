"""``momentum new`` and ``momentum upgrade``: the project generator.

- ``coach/`` and ``plugin/`` are copier 9 templates (``copier.yml``, ``VERSION``, and the
  files in ``project/``, jinja2 where they end in ``.jinja``).
- :mod:`.catalogue` learns the choices (clouds, chat platforms, data sources, domains)
  from the installed plugins and Pulumi programs.
- :mod:`.coach` and :mod:`.plugin` check the answers and render a project
  (:mod:`.render`: into a staging folder first, so nothing half-made is left behind).
- :mod:`.upgrade` runs copier's update against the template versions kept in a small git
  repository per template (:mod:`.template_repo`), after migrating the answers
  (:mod:`.migrations`).

copier is the ``generator`` extra: ``pip install 'momentum-coach[generator]'``.
"""

"""A chart and its values -> {template path: text}: the function table, helm's objects,
the compiled-template cache and parallel compile."""

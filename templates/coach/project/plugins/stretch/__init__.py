"""An example local plugin: an evening mobility reminder."""
